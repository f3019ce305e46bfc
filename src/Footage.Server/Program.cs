using Footage.Server;
using Footage.ServiceDefaults;

var app = FootageHost.Build(args);
await app.PrepareDatabaseAsync();
await app.RunAsync();
