using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using CareTwin.Grains.Children;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Grains.Publishing;

namespace CareTwin.Grains.Tests.Twins;

/// <summary>Grain calls pass references, so everything crossing a grain boundary (calls and streams) must be immutable.</summary>
public sealed class GrainContractTests
{
    [Fact]
    public void Every_type_crossing_a_grain_boundary_is_immutable()
    {
        var check = new ImmutabilityCheck();
        var interfaces = typeof(ChildGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t)).ToList();
        foreach (var method in interfaces.SelectMany(i => i.GetMethods()))
        {
            foreach (var parameter in method.GetParameters())
                check.Type(parameter.ParameterType, $"{method.DeclaringType!.Name}.{method.Name}({parameter.Name})");
            check.Type(ResultOf(method.ReturnType), $"{method.DeclaringType!.Name}.{method.Name} returns");
        }
        var streams = typeof(JourneyStreams).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Orleans.Streams.IAsyncStream<>)).ToList();
        foreach (var stream in streams)
            check.Type(stream.ReturnType.GetGenericArguments()[0], $"JourneyStreams.{stream.Name} carries");

        Assert.True(interfaces.Count >= 6, $"found only {interfaces.Count} grain interfaces");
        Assert.Equal(6, streams.Count);
        // It reached every command and event through their abstract bases, and the projections.
        Assert.Superset(new HashSet<Type> { typeof(RegisterChild), typeof(BlockerEscalated),
            typeof(ServiceProfile), typeof(FamilyView), typeof(BoardSummary) }, check.Seen);
        Assert.Empty(check.Problems);
    }

    [Fact]
    public void The_check_catches_mutable_types()
    {
        var check = new ImmutabilityCheck();
        check.Type(typeof(MutableProbe), "probe");

        foreach (var member in new[] { "Setter", "List", "Array", "ReadOnly", "Plain" })
            Assert.Contains(check.Problems, p => p.StartsWith($"probe.{member}:", StringComparison.Ordinal));
        Assert.Contains("probe: MutableProbe.<Setter>k__BackingField is a field that is not readonly", check.Problems);
        Assert.DoesNotContain(check.Problems, p => p.Contains("Fine", StringComparison.Ordinal));
    }

    private static Type ResultOf(Type returnType) =>
        returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? returnType.GetGenericArguments()[0]
            : typeof(void);

    private sealed class PlainClass
    {
        public int Value { get; init; }
    }

    private sealed record MutableProbe(ImmutableArray<string> Fine, List<int> List, int[] Array, IReadOnlyList<int> ReadOnly, PlainClass Plain)
    {
        public int Setter { get; set; }
    }

    /// <summary>
    /// Immutable: primitives, strings, enums, dates and times, System.Collections.Immutable collections of
    /// immutable types, and records whose every property is get-only or init-only and every field readonly
    /// (an abstract record: each of its derived records).
    /// </summary>
    private sealed class ImmutabilityCheck
    {
        private static readonly HashSet<Type> Values =
        [
            typeof(void), typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly),
            typeof(TimeOnly), typeof(TimeSpan), typeof(Guid),
        ];

        private static readonly HashSet<Type> ImmutableCollections =
        [
            typeof(ImmutableArray<>), typeof(ImmutableList<>), typeof(ImmutableHashSet<>), typeof(ImmutableDictionary<,>),
            typeof(ImmutableSortedDictionary<,>), typeof(ImmutableSortedSet<>), typeof(ImmutableQueue<>), typeof(ImmutableStack<>),
        ];

        private readonly HashSet<Type> _seen = [];

        public List<string> Problems { get; } = [];

        public ISet<Type> Seen => _seen;

        public void Type(Type type, string path)
        {
            if (!_seen.Add(type) || type.IsPrimitive || type.IsEnum || Values.Contains(type))
                return;
            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                Type(underlying, path);
                return;
            }
            if (type.IsGenericType && ImmutableCollections.Contains(type.GetGenericTypeDefinition()))
            {
                foreach (var argument in type.GetGenericArguments())
                    Type(argument, $"{path}[{argument.Name}]");
                return;
            }
            if (!IsRecord(type))
            {
                Problems.Add($"{path}: {type.Name} is not an immutable collection, record or value");
                return;
            }
            Record(type, path);
        }

        private void Record(Type type, string path)
        {
            const BindingFlags instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
            {
                foreach (var field in t.GetFields(instance | BindingFlags.DeclaredOnly).Where(f => !f.IsInitOnly))
                    Problems.Add($"{path}: {t.Name}.{field.Name} is a field that is not readonly");
            }
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
            {
                if (property.SetMethod is { } setter && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
                    Problems.Add($"{path}.{property.Name}: {property.PropertyType.Name} {property.Name} has a setter that is not init-only");
                Type(property.PropertyType, $"{path}.{property.Name}");
            }
            if (type.IsAbstract)
            {
                var derived = type.GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType)
                    .Concat(type.Assembly.GetTypes().Where(t => t.IsSubclassOf(type)));
                foreach (var subtype in derived.Distinct())
                    Type(subtype, $"{path}<{subtype.Name}>");
            }
        }

        // Records have a compiler-generated clone method (classes) or PrintMembers (structs).
        private static bool IsRecord(Type type) =>
            type.GetMethod("<Clone>$") is not null
            || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic) is not null);
    }
}
