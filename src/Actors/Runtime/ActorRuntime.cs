using System.Collections.Concurrent;
using System.Reflection;
using CareTwin.Storage;
using CareTwin.Actors.Streams;
using Microsoft.Extensions.Logging;

namespace CareTwin.Actors.Runtime;

/// <summary>
/// One running instance of the actor runtime (a "silo"): the catalog of activations, the clock-driven
/// services (response timeouts, idle collection, reminders), storage, streams and observers. Hosts reach it
/// as <see cref="IClusterClient"/> / <see cref="IGrainFactory"/>.
/// </summary>
public sealed class ActorRuntime : IClusterClient, IAsyncDisposable
{
    private static readonly ConcurrentDictionary<Type, GrainInterfaceMethods> InterfaceMethods = new();

    private readonly IReadOnlyDictionary<string, IStorageProvider> _storage;
    private volatile int _phase; // 0 created, 1 started, 2 stopping, 3 stopped

    internal ActorRuntime(
        IServiceProvider services,
        ActorRuntimeOptions options,
        IEnumerable<Type> grainClasses,
        IReadOnlyDictionary<string, IStorageProvider> storage,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        options.Validate();
        Services = services;
        Options = options;
        TimeProvider = timeProvider;
        Logger = loggerFactory.CreateLogger("CareTwin.Actors.Runtime");
        _storage = storage;
        Registry = new GrainClassRegistry(grainClasses, options);
        Catalog = new Catalog(this);
        Collector = new ActivationCollector(this);
        Metrics = new RuntimeMetrics(this, () => Catalog.Count);
        Timeouts = new ResponseTimeouts(timeProvider, options.ResponseTimeoutCheckInterval, Metrics);
        Serializer = new JsonGrainStorageSerializer(options.SerializerOptions);
        Reminders = new ReminderService(this, storage.TryGetValue(options.DefaultStorageName, out var reminderTable) ? reminderTable : null);
        Streams = new MemoryStreamProvider(StreamProviderName, options.StreamSubscriberCapacity, Metrics, loggerFactory.CreateLogger<MemoryStreamProvider>());
        Observers = new ObserverRegistry(this);
    }

    /// <summary>The name grains and hosts use for the runtime's in-memory stream provider.</summary>
    public const string StreamProviderName = "Default";

    public IServiceProvider ServiceProvider => Services;

    internal IServiceProvider Services { get; }
    internal ActorRuntimeOptions Options { get; }
    internal TimeProvider TimeProvider { get; }
    internal ILogger Logger { get; }
    internal GrainClassRegistry Registry { get; }
    internal Catalog Catalog { get; }
    internal ActivationCollector Collector { get; }
    internal RuntimeMetrics Metrics { get; }
    internal ResponseTimeouts Timeouts { get; }
    internal JsonGrainStorageSerializer Serializer { get; }
    internal ReminderService Reminders { get; }
    internal MemoryStreamProvider Streams { get; }
    internal ObserverRegistry Observers { get; }

    internal bool IsStopped => _phase == 3;

    /// <summary>Activations currently in the catalog (all states).</summary>
    public int ActivationCount => Catalog.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _phase, 1, 0) != 0) throw new InvalidOperationException("The actor runtime was already started.");
        foreach (var (name, provider) in _storage)
        {
            try
            {
                await provider.InitializeAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"Storage '{name}' could not be initialized: {ex.Message}", ex);
            }
        }
        Collector.Start();
        await Reminders.StartAsync(cancellationToken);
        Logger.LogInformation("Actor runtime started with {GrainClassCount} grain classes and storage {Storage}",
            Registry.Classes.Count(), string.Join(", ", _storage.Keys));
    }

    /// <summary>Stops taking new activations, deactivates every activation (each persists in OnDeactivateAsync) and waits for them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _phase, 2, 1) != 1) return;
        Reminders.Stop();
        Collector.Dispose();
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The runtime is shutting down.");
        var activations = Catalog.All.ToList();
        foreach (var activation in activations) activation.Deactivate(reason);
        try
        {
            await Task.WhenAll(activations.Select(a => a.Deactivated)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Logger.LogWarning("Shutdown stopped waiting with {Count} activations still deactivating", activations.Count(a => !a.Deactivated.IsCompleted));
        }
        await Streams.CompleteAllAsync();
        _phase = 3;
        Timeouts.Dispose();
        Logger.LogInformation("Actor runtime stopped after deactivating {Count} activations", activations.Count);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        Metrics.Dispose();
        foreach (var provider in _storage.Values.Distinct())
            if (provider is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    internal void ThrowIfStopping(GrainId grainId)
    {
        if (_phase >= 2) throw new SiloUnavailableException($"The actor runtime is shutting down; {grainId} cannot be activated.");
    }

    /// <summary>A request queued on an activation that deactivated goes to the next activation of the same grain.</summary>
    internal void Reroute(GrainId grainId, GrainClass grainClass, Request request)
    {
        try
        {
            while (!Catalog.GetOrCreate(grainId, grainClass).TryEnqueue(request)) Thread.Yield();
        }
        catch (Exception ex)
        {
            request.Fail(ex);
        }
    }

    internal IStreamProvider GetStreamProvider(string name) =>
        name == Streams.Name ? Streams
        : throw new ArgumentException($"No stream provider is named '{name}'; the runtime has '{Streams.Name}'.", nameof(name));

    internal IStorageProvider GetStorage(string? name, GrainId grainId)
    {
        name ??= Options.DefaultStorageName;
        return _storage.TryGetValue(name, out var provider) ? provider
            : throw new InvalidOperationException($"Grain {grainId} uses storage '{name}', which is not configured.");
    }

    // ---- IGrainFactory -------------------------------------------------------------------------------------

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey
    {
        if (string.IsNullOrWhiteSpace(primaryKey))
            throw new ArgumentException($"The key of a {typeof(TGrainInterface).Name} must not be empty.", nameof(primaryKey));
        var grainClass = Registry.ForInterface(typeof(TGrainInterface), primaryKey);
        return CreateReference<TGrainInterface>(new GrainId(grainClass.GrainType, primaryKey), grainClass);
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey
    {
        var key = primaryKey.ToString("D");
        var grainClass = Registry.ForInterface(typeof(TGrainInterface), key);
        return CreateReference<TGrainInterface>(new GrainId(grainClass.GrainType, key), grainClass);
    }

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable
    {
        if (string.IsNullOrWhiteSpace(grainId.Key))
            throw new ArgumentException($"The key of grain type '{grainId.Type}' must not be empty.", nameof(grainId));
        var grainClass = Registry.ForGrainType(grainId);
        if (!typeof(TGrainInterface).IsAssignableFrom(grainClass.ClassType))
            throw new ArgumentException($"Grain {grainId} ({grainClass.ClassType.Name}) does not implement {typeof(TGrainInterface).Name}.", nameof(grainId));
        return CreateReference<TGrainInterface>(grainId, grainClass);
    }

    public TObserver CreateObjectReference<TObserver>(IGrainObserver observer) where TObserver : IGrainObserver =>
        Observers.CreateReference<TObserver>(observer);

    public void DeleteObjectReference<TObserver>(IGrainObserver observer) where TObserver : IGrainObserver =>
        Observers.DeleteReference(observer);

    private TGrainInterface CreateReference<TGrainInterface>(GrainId grainId, GrainClass grainClass)
    {
        var methods = MethodsOf(typeof(TGrainInterface));
        var proxy = DispatchProxy.Create<TGrainInterface, GrainProxy>();
        ((GrainProxy)(object)proxy!).Initialize(this, grainId, grainClass, methods);
        return proxy;
    }

    internal static GrainInterfaceMethods MethodsOf(Type grainInterface) =>
        InterfaceMethods.GetOrAdd(grainInterface, static t => new GrainInterfaceMethods(t));
}
