using CareTwin.Storage;

namespace CareTwin.Grains.Persistence;

/// <summary>Orleans grain ids as CareTwin's store knows them: ("child", "c-001"), the form every database already holds.</summary>
internal static class StoreKeys
{
    public static RecordKey Of(GrainId grainId) => new(grainId.Type.ToString()!, grainId.Key.ToString()!);

    public static GrainId ToGrainId(RecordKey key) => GrainId.Create(key.Type, key.Key);
}
