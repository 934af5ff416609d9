namespace CareTwin.Storage.Tests;

public sealed class MemoryStorageTests : StorageContractTests
{
    protected override Task<ITestStore> CreateStoreAsync() => Task.FromResult<ITestStore>(new MemoryTestStore());
}
