using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Clips;

/// <summary>Incidents and their clips through the API, as an operator's software makes them.</summary>
public static class IncidentClips
{
    public static async Task<Guid> CreateIncidentAsync(HttpClient client, IEnumerable<Guid> cameras, DateTimeOffset start, DateTimeOffset end)
    {
        var created = await (await client.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = "Bicycle theft at the north gate", severity = "HIGH", camera_ids = cameras, start_time = Iso(start), end_time = Iso(end),
        })).AssertJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> CreateClipAsync(HttpClient client, Guid incident, int margin, string reason = "requested by the police, case 2026/118") =>
        await (await client.PostAsJsonAsync("api/v1/storage/clips", new { incident_id = incident, margin_seconds = margin, reason })).AssertJsonAsync(HttpStatusCode.Accepted);

    /// <summary>Polls the clip until it leaves PENDING/PROCESSING (at most a minute) and returns it.</summary>
    public static async Task<JsonElement> WaitUntilFinishedAsync(HttpClient client, Guid clip)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (true)
        {
            var state = await (await client.GetAsync($"api/v1/storage/clips/{clip}")).AssertJsonAsync(HttpStatusCode.OK);
            var status = state.GetProperty("status").GetString();
            if (status is not ("PENDING" or "PROCESSING"))
            {
                return state;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"clip {clip} still {status} after 60 s");
            await Task.Delay(200);
        }
    }

    public static async Task<string[]> StoredKeysAsync(FootageServer server, Guid incident, string backend = "filesystem")
    {
        var keys = new List<string>();
        await foreach (var item in server.Get<IStorageBackendRegistry>().Get(backend).ListAsync(StorageBuckets.Clips, $"incidents/{incident:D}/", CancellationToken.None))
        {
            keys.Add(item.Key);
        }

        return keys.Order(StringComparer.Ordinal).ToArray();
    }

    public static async Task<JsonElement[]> CustodyAsync(HttpClient client, Guid incident) =>
        (await client.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{incident}/custody"))!.GetProperty("items").EnumerateArray().ToArray();

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
