using System.Linq.Expressions;
using System.Reflection;
using CareTwin.Actors.Concurrency;

namespace CareTwin.Actors.Runtime;

internal enum ReturnKind { Void, Task, TaskOfT, ValueTask, ValueTaskOfT }

/// <summary>
/// Everything the runtime needs to call one interface method: a compiled invoker (no reflection per call),
/// the scheduling flags from its attributes, and how to hand the result back in the declared type.
/// </summary>
internal sealed class GrainMethod
{
    private readonly Func<Task, object>? _toValueTaskOfT;

    private GrainMethod(MethodInfo method, ReturnKind kind, Type? resultType)
    {
        Method = method;
        Kind = kind;
        DisplayName = $"{method.DeclaringType!.Name}.{method.Name}";
        AlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute), true);
        ReadOnly = method.IsDefined(typeof(ReadOnlyAttribute), true);
        OneWay = kind == ReturnKind.Void || method.IsDefined(typeof(OneWayAttribute), true);
        Timeout = method.GetCustomAttribute<ResponseTimeoutAttribute>(true)?.Timeout;
        Invoker = CompileInvoker(method, kind);
        var responseType = typeof(Response<>).MakeGenericType(resultType ?? typeof(object));
        CreateResponse = Expression.Lambda<Func<IPendingResponse>>(Expression.New(responseType)).Compile();
        if (kind == ReturnKind.ValueTaskOfT)
        {
            var task = Expression.Parameter(typeof(Task));
            var vt = typeof(ValueTask<>).MakeGenericType(resultType!);
            var ctor = vt.GetConstructor([typeof(Task<>).MakeGenericType(resultType!)])!;
            _toValueTaskOfT = Expression.Lambda<Func<Task, object>>(
                Expression.Convert(Expression.New(ctor, Expression.Convert(task, ctor.GetParameters()[0].ParameterType)), typeof(object)),
                task).Compile();
        }
    }

    public MethodInfo Method { get; }
    public ReturnKind Kind { get; }
    public string DisplayName { get; }
    public bool AlwaysInterleave { get; }
    public bool ReadOnly { get; }
    public bool OneWay { get; }
    public TimeSpan? Timeout { get; }

    /// <summary>Calls the method on a target; ValueTask results become Tasks and void becomes a completed Task.</summary>
    public Func<object, object?[]?, Task> Invoker { get; }

    /// <summary>Makes the caller-side promise typed for this method's result.</summary>
    public Func<IPendingResponse> CreateResponse { get; }

    /// <summary>Turns the runtime's Task back into what the interface declares.</summary>
    public object? ToDeclaredReturn(Task task) => Kind switch
    {
        ReturnKind.Void => null,
        ReturnKind.Task or ReturnKind.TaskOfT => task,
        ReturnKind.ValueTask => new ValueTask(task),
        _ => _toValueTaskOfT!(task),
    };

    public static GrainMethod Create(MethodInfo method)
    {
        if (method.IsGenericMethodDefinition)
            throw new NotSupportedException($"{method.DeclaringType!.Name}.{method.Name}: generic grain methods are not supported.");
        var rt = method.ReturnType;
        if (rt == typeof(void)) return new GrainMethod(method, ReturnKind.Void, null);
        if (rt == typeof(Task)) return new GrainMethod(method, ReturnKind.Task, null);
        if (rt == typeof(ValueTask)) return new GrainMethod(method, ReturnKind.ValueTask, null);
        if (rt.IsGenericType && rt.GetGenericTypeDefinition() == typeof(Task<>))
            return new GrainMethod(method, ReturnKind.TaskOfT, rt.GenericTypeArguments[0]);
        if (rt.IsGenericType && rt.GetGenericTypeDefinition() == typeof(ValueTask<>))
            return new GrainMethod(method, ReturnKind.ValueTaskOfT, rt.GenericTypeArguments[0]);
        throw new NotSupportedException(
            $"{method.DeclaringType!.Name}.{method.Name} returns {rt.Name}; grain methods return Task, Task<T>, ValueTask, ValueTask<T> or void.");
    }

    private static Func<object, object?[]?, Task> CompileInvoker(MethodInfo method, ReturnKind kind)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters();
        var argExprs = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var type = parameters[i].ParameterType;
            if (type.IsByRef)
                throw new NotSupportedException($"{method.DeclaringType!.Name}.{method.Name}: ref/out parameters cannot cross a grain boundary.");
            argExprs[i] = Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), type);
        }
        Expression call = Expression.Call(Expression.Convert(target, method.DeclaringType!), method, argExprs);
        Expression body = kind switch
        {
            ReturnKind.Void => Expression.Block(call, Expression.Constant(Task.CompletedTask)),
            ReturnKind.Task => call,
            ReturnKind.TaskOfT => Expression.Convert(call, typeof(Task)),
            _ => Expression.Convert(Expression.Call(call, call.Type.GetMethod(nameof(ValueTask.AsTask))!), typeof(Task)),
        };
        return Expression.Lambda<Func<object, object?[]?, Task>>(body, target, args).Compile();
    }
}

/// <summary>The methods of one interface (and the interfaces it extends), keyed by the MethodInfo the proxy sees.</summary>
internal sealed class GrainInterfaceMethods
{
    private readonly Dictionary<MethodInfo, GrainMethod> _methods = new();

    public GrainInterfaceMethods(Type interfaceType)
    {
        if (!interfaceType.IsInterface)
            throw new ArgumentException($"{interfaceType.Name} is not an interface; grain references are made from grain interfaces.");
        foreach (var type in interfaceType.GetInterfaces().Append(interfaceType))
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
                _methods[method] = GrainMethod.Create(method);
        InterfaceType = interfaceType;
    }

    public Type InterfaceType { get; }

    public GrainMethod this[MethodInfo method] =>
        _methods.TryGetValue(method, out var m) ? m
        : throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name} is not a grain method of {InterfaceType.Name}.");
}
