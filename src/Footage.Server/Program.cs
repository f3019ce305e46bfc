using Footage.Server;
using Footage.Server.Repair;
using Footage.ServiceDefaults;

if (args is ["repair", ..])
{
    return await RepairCommand.RunAsync(args[1..], Console.Out);
}

var app = FootageHost.Build(args);
await app.PrepareDatabaseAsync();
await app.RunAsync();
return 0;
