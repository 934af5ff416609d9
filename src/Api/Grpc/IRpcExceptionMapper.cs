namespace CareTwin.Api.Grpc;

/// <summary>
/// Turns an exception a handler did not translate (e.g. a domain validation error) into a status,
/// so handlers stay thin. Consulted in registration order; unmapped exceptions become INTERNAL.
/// </summary>
public interface IRpcExceptionMapper
{
    bool TryMap(Exception exception, out Status status);
}
