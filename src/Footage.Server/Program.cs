using Footage.ServiceDefaults;
using Footage.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStorage();

var app = builder.Build();
app.UseServiceDefaults();
app.MapStorageApi();

await app.PrepareDatabaseAsync();
await app.RunAsync();

/// <summary>The host's entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
