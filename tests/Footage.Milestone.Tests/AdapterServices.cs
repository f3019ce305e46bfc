using Footage.Milestone.Simulator;
using Footage.ServiceDefaults;
using Footage.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Footage.Milestone.Tests;

/// <summary>The adapter as the host wires it (<see cref="MilestoneModule.AddMilestoneBackend"/>), pointed at a simulator.</summary>
public sealed class AdapterServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly TempFolder _data = new("milestone-adapter");

    public AdapterServices(MilestoneSimulator simulator, TimeProvider clock, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Footage:DataDirectory"] = _data.Path,
            ["Footage:Milestone:ServerUrl"] = simulator.BaseUri.ToString(),
            ["Footage:Milestone:Username"] = simulator.Username,
            ["Footage:Milestone:Password"] = simulator.Password,
            ["Footage:Milestone:ReadTimeout"] = "00:00:01",
            ["Footage:Milestone:BusyRetryDelay"] = "00:00:00", // the tests' clock is fake: a real wait would never end
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock);
        services.AddOptions<FootageOptions>().BindConfiguration(FootageOptions.Section);
        services.AddMilestoneBackend();
        _provider = services.BuildServiceProvider();
    }

    public string DataDirectory => _data.Path;

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _data.Dispose();
    }
}
