namespace CareTwin.Grains.Cluster;

/// <summary>
/// Failures that a node dying or leaving the cluster causes. They pass by themselves: within seconds the cluster
/// declares the node dead and serves its twins, boards and stream queues on the others, so the same call then succeeds.
/// </summary>
public static class NodeLoss
{
    public static bool Caused(Exception exception) => exception is SiloUnavailableException or OrleansMessageRejectionException;
}
