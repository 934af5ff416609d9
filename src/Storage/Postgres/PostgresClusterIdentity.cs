using Npgsql;

namespace CareTwin.Storage.Postgres;

/// <summary>
/// Which Orleans cluster a PostgreSQL database belongs to (schema step 0005). The first clustered node to start
/// claims it; a node configured with another cluster or service id is refused, since it would run a second cluster
/// over the same journals.
/// </summary>
public static class PostgresClusterIdentity
{
    public static async Task ClaimAsync(string connectionString, string clusterId, string serviceId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var claim = new NpgsqlCommand(
            """
            INSERT INTO cluster_identity (cluster_id, service_id) VALUES (@cluster, @service) ON CONFLICT (singleton) DO NOTHING;
            SELECT cluster_id, service_id FROM cluster_identity;
            """, connection);
        claim.Parameters.AddWithValue("cluster", clusterId);
        claim.Parameters.AddWithValue("service", serviceId);
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (owner, ownerService) = (reader.GetString(0), reader.GetString(1));
        if (owner != clusterId || ownerService != serviceId)
            throw new InvalidOperationException(
                $"This PostgreSQL database belongs to CareTwin cluster '{owner}' (service '{ownerService}'), but this node is configured for "
                + $"cluster '{clusterId}' (service '{serviceId}'). Set Orleans__ClusterId={owner} and Orleans__ServiceId={ownerService} to join it.");
    }
}
