using System.Reflection;
using CareTwin.Actors.Runtime;
using CareTwin.Storage;
using CareTwin.Storage.Memory;
using CareTwin.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CareTwin.Actors.Hosting;

/// <summary>Configures the actor runtime a host runs (Orleans's ISiloBuilder, reduced to what CareTwin uses).</summary>
public interface ISiloBuilder
{
    IServiceCollection Services { get; }
}

internal sealed class SiloBuilder(IServiceCollection services) : ISiloBuilder
{
    public IServiceCollection Services { get; } = services;
}

internal sealed record GrainAssembly(Assembly Assembly);

internal sealed record NamedStorage(string Name, Func<IServiceProvider, IStorageProvider> Create);

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds the actor runtime: <see cref="ActorRuntime"/>, <see cref="IGrainFactory"/> and <see cref="IClusterClient"/>
    /// as singletons, and a hosted service that starts it with the host and deactivates everything on shutdown.
    /// </summary>
    public static IServiceCollection AddActorRuntime(this IServiceCollection services, Action<ISiloBuilder> configure)
    {
        var builder = new SiloBuilder(services);
        services.AddOptions<ActorRuntimeOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        configure(builder);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ActorRuntimeOptions>>().Value;
            var storage = new Dictionary<string, IStorageProvider>(StringComparer.Ordinal);
            foreach (var named in sp.GetServices<NamedStorage>()) storage[named.Name] = named.Create(sp);
            var grainClasses = sp.GetServices<GrainAssembly>().SelectMany(a => a.Assembly.GetTypes()).Where(GrainClassRegistry.IsGrainClass);
            return new ActorRuntime(sp, options, grainClasses, storage, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>());
        });
        services.TryAddSingleton<IClusterClient>(sp => sp.GetRequiredService<ActorRuntime>());
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<ActorRuntime>());
        services.AddHostedService<ActorRuntimeHostedService>();
        return services;
    }

    /// <summary>Registers every grain class in the assembly.</summary>
    public static ISiloBuilder AddGrains(this ISiloBuilder builder, Assembly assembly)
    {
        builder.Services.AddSingleton(new GrainAssembly(assembly));
        return builder;
    }

    public static ISiloBuilder Configure(this ISiloBuilder builder, Action<ActorRuntimeOptions> configure)
    {
        builder.Services.Configure(configure);
        return builder;
    }

    public static ISiloBuilder AddStorage(this ISiloBuilder builder, string name, Func<IServiceProvider, IStorageProvider> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Services.AddSingleton(new NamedStorage(name, create));
        return builder;
    }

    /// <summary>In-memory storage under this name (tests).</summary>
    public static ISiloBuilder AddMemoryGrainStorage(this ISiloBuilder builder, string name = "Default") =>
        builder.AddStorage(name, _ => new MemoryStorageProvider());

    /// <summary>SQLite storage under this name: the embedded default.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure) =>
        builder.AddStorage(name, sp =>
        {
            var options = new SqliteStorageOptions();
            configure(options);
            return new SqliteStorageProvider(options, sp.GetService<ILogger<SqliteStorageProvider>>());
        });
}

/// <summary>Starts the runtime with the host; on SIGTERM/shutdown deactivates every grain before the host exits.</summary>
internal sealed class ActorRuntimeHostedService(ActorRuntime runtime) : IHostedService, IAsyncDisposable
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => runtime.DisposeAsync();
}
