using CareTwin.Silo;

// The host only composes: runtime + storage, gRPC API, web. See Composition/.
return await CareTwinHost.RunAsync(args);
