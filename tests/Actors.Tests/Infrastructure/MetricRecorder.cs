using System.Diagnostics.Metrics;
using CareTwin.Actors.Runtime;

namespace CareTwin.Actors.Tests.Infrastructure;

/// <summary>Sums one counter of one runtime while alive (tests run in parallel, each with its own runtime).</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;

    public MetricRecorder(ActorRuntime runtime, string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == RuntimeMetrics.MeterName && ReferenceEquals(i.Meter.Scope, runtime) && i.Name == instrument) l.EnableMeasurementEvents(i);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
        _listener.SetMeasurementEventCallback<int>((_, value, _, _) => Interlocked.Add(ref _total, value));
        _listener.Start();
    }

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Reads observable gauges now.</summary>
    public void Collect() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();
}
