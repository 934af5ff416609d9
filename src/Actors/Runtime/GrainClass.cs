using System.Linq.Expressions;
using System.Reflection;
using CareTwin.Actors.Concurrency;

namespace CareTwin.Actors.Runtime;

/// <summary>What the runtime knows about one grain class: its type name, scheduling attributes, and how to construct it.</summary>
internal sealed class GrainClass
{
    private Func<ActivationData, object>? _factory;

    public GrainClass(Type classType, ActorRuntimeOptions options)
    {
        ClassType = classType;
        GrainType = classType.GetCustomAttribute<GrainTypeAttribute>(false)?.GrainType ?? DefaultGrainType(classType);
        Reentrant = classType.IsDefined(typeof(ReentrantAttribute), true);
        StatelessWorkerMax = classType.GetCustomAttribute<StatelessWorkerAttribute>(true)?.MaxLocalWorkers ?? 0;
        var age = options.ClassSpecificCollectionAge.TryGetValue(GrainType, out var configured) ? configured
            : classType.GetCustomAttribute<CollectionAgeLimitAttribute>(true)?.Amount ?? options.CollectionAge;
        CollectionAgeInQuanta = age == Timeout.InfiniteTimeSpan ? int.MaxValue : (int)Math.Ceiling(age / options.CollectionQuantum);
    }

    public Type ClassType { get; }

    public string GrainType { get; }

    public bool Reentrant { get; }

    /// <summary>0 for ordinary grains; otherwise how many activations of one key may run side by side.</summary>
    public int StatelessWorkerMax { get; }

    public int CollectionAgeInQuanta { get; }

    public object CreateInstance(ActivationData activation) => (_factory ??= BuildFactory(activation.Runtime))(activation);

    /// <summary>ChildGrain → "child": short, stable names in storage; [GrainType] overrides.</summary>
    internal static string DefaultGrainType(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick > 0) name = name[..tick];
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > 5) name = name[..^5];
        return name.ToLowerInvariant();
    }

    private Func<ActivationData, object> BuildFactory(ActorRuntime runtime)
    {
        var ctor = ClassType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"Grain class {ClassType.Name} has no public constructor.");
        var parameters = ctor.GetParameters();
        var resolvers = parameters.Select(p => ParameterResolver(p, runtime)).ToArray();
        var args = Expression.Parameter(typeof(object?[]), "args");
        var newExpr = Expression.New(ctor, parameters.Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType)));
        var construct = Expression.Lambda<Func<object?[], object>>(Expression.Convert(newExpr, typeof(object)), args).Compile();
        return activation =>
        {
            var values = new object?[resolvers.Length];
            for (var i = 0; i < resolvers.Length; i++) values[i] = resolvers[i](activation);
            return construct(values);
        };
    }

    private Func<ActivationData, object?> ParameterResolver(ParameterInfo parameter, ActorRuntime runtime)
    {
        var type = parameter.ParameterType;
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } stateAttribute)
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
                throw new InvalidOperationException(
                    $"{ClassType.Name}: parameter '{parameter.Name}' has [PersistentState] but is not IPersistentState<T>.");
            var create = typeof(PersistentState<>).MakeGenericType(type.GenericTypeArguments[0])
                .GetMethod(nameof(PersistentState<object>.Create), BindingFlags.Static | BindingFlags.NonPublic)!
                .CreateDelegate<Func<ActivationData, string, string?, object>>();
            return activation => create(activation, stateAttribute.StateName, stateAttribute.StorageName);
        }
        if (type == typeof(IGrainFactory) || type == typeof(IClusterClient)) return _ => runtime;
        if (type == typeof(IGrainContext)) return activation => activation;
        return activation => activation.ActivationServices.GetService(type)
            ?? (parameter.HasDefaultValue ? parameter.DefaultValue
                : throw new InvalidOperationException(
                    $"Cannot create grain {activation.GrainId}: no service of type {type.Name} is registered for parameter '{parameter.Name}' of {ClassType.Name}."));
    }
}

/// <summary>Maps grain interfaces and grain type names to grain classes, from the assemblies the host registers.</summary>
internal sealed class GrainClassRegistry
{
    private static readonly HashSet<Type> MarkerInterfaces =
        [typeof(IAddressable), typeof(IGrain), typeof(IGrainWithStringKey), typeof(IGrainWithGuidKey), typeof(IGrainObserver), typeof(IRemindable)];

    private readonly Dictionary<Type, List<GrainClass>> _byInterface = new();
    private readonly Dictionary<string, GrainClass> _byGrainType = new(StringComparer.Ordinal);

    public GrainClassRegistry(IEnumerable<Type> grainClasses, ActorRuntimeOptions options)
    {
        foreach (var type in grainClasses.Distinct())
        {
            var grainClass = new GrainClass(type, options);
            if (_byGrainType.TryGetValue(grainClass.GrainType, out var existing))
                throw new InvalidOperationException(
                    $"Grain classes {existing.ClassType.FullName} and {type.FullName} share the grain type name '{grainClass.GrainType}'; give one a [GrainType].");
            _byGrainType.Add(grainClass.GrainType, grainClass);
            foreach (var iface in type.GetInterfaces().Where(i => typeof(IGrain).IsAssignableFrom(i) && !MarkerInterfaces.Contains(i)))
            {
                if (!_byInterface.TryGetValue(iface, out var list)) _byInterface[iface] = list = [];
                list.Add(grainClass);
            }
        }
    }

    public IEnumerable<GrainClass> Classes => _byGrainType.Values;

    public static bool IsGrainClass(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IGrainBase).IsAssignableFrom(type)
        && typeof(IGrain).IsAssignableFrom(type);

    public GrainClass ForInterface(Type grainInterface, string key)
    {
        if (!_byInterface.TryGetValue(grainInterface, out var classes) || classes.Count == 0)
            throw new ArgumentException(
                $"No grain class implements {grainInterface.Name} (asked for key '{key}'). Register the grain's assembly with AddGrains.",
                nameof(grainInterface));
        if (classes.Count > 1)
            throw new ArgumentException(
                $"{grainInterface.Name} is implemented by several grain classes ({string.Join(", ", classes.Select(c => c.ClassType.Name))}); asked for key '{key}'.",
                nameof(grainInterface));
        return classes[0];
    }

    public GrainClass ForGrainType(GrainId grainId) =>
        _byGrainType.TryGetValue(grainId.Type, out var grainClass) ? grainClass
        : throw new ArgumentException($"No grain class has the grain type '{grainId.Type}' (grain {grainId}).", nameof(grainId));
}
