namespace CareTwin.Api.Grpc;

/// <summary>
/// The methods every registered <see cref="IGrpcService"/> bound. Filled once by
/// <see cref="GrpcEndpointRouteBuilderExtensions.MapGrpcServices"/>, read-only afterwards.
/// </summary>
public sealed class GrpcMethodRegistry
{
    private readonly Dictionary<string, GrpcMethod> _methods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);
    private bool _bound;

    /// <summary>Full names of the services that have at least one bound method.</summary>
    public IReadOnlyCollection<string> ServiceNames => _services;

    public bool HasService(string serviceFullName) => _services.Contains(serviceFullName);

    internal IReadOnlyCollection<GrpcMethod> Methods => _methods.Values;

    internal void Bind(IEnumerable<IGrpcService> services)
    {
        if (_bound)
        {
            throw new InvalidOperationException("gRPC services are already mapped; call MapGrpcServices once.");
        }

        _bound = true;
        var binder = new GrpcServiceBinder(Add);
        foreach (var service in services)
        {
            service.Bind(binder);
        }
    }

    private void Add(GrpcMethod method)
    {
        if (!_methods.TryAdd(method.Path, method))
        {
            throw new InvalidOperationException($"{method.Path} is bound twice.");
        }

        _services.Add(method.Descriptor.Service.FullName);
    }
}
