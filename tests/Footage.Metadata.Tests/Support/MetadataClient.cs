using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Testing;

namespace Footage.Metadata.Tests.Support;

/// <summary>What the tests do again and again through the real API: store and register segments, create incidents and tags.</summary>
public static class MetadataClient
{
    public static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int hour, int minute = 0) => Day.AddHours(hour).AddMinutes(minute);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Uploads a small object and registers it as a segment; returns the segment as the API shows it.</summary>
    public static async Task<JsonElement> RegisterSegmentAsync(this FootageServer server, Guid camera, DateTimeOffset start, DateTimeOffset end)
    {
        var content = Encoding.UTF8.GetBytes($"segment {camera} {start:O} {Guid.NewGuid()}");
        var path = ObjectKeys.ForSegment(camera, start);
        await server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, path, new MemoryStream(content), null, CancellationToken.None);
        var body = new
        {
            camera_id = camera, start_time = start, end_time = end, size_bytes = content.Length, storage_path = path,
            checksum = Convert.ToHexStringLower(SHA256.HashData(content)),
        };
        return await (await server.Admin.PostAsJsonAsync("api/v1/storage/segments", body)).AssertJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> CreateIncidentAsync(this HttpClient client, object body) =>
        await (await client.PostAsJsonAsync("api/v1/metadata/incidents", body)).AssertJsonAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> CreateTagAsync(this HttpClient client, string name, string? color = null, string? category = null) =>
        await (await client.PostAsJsonAsync("api/v1/metadata/tags", new { name, color, category })).AssertJsonAsync(HttpStatusCode.Created);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsync(url, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    /// <summary>A word no other test uses, of letters that no stemmer changes, for full-text tests that must not see other tests' incidents.</summary>
    public static string UniqueWord()
    {
        const string consonants = "bcdfghjklmnpqrtvwxz";
        var chars = new char[10];
        chars[0] = 'q';
        for (var i = 1; i < chars.Length; i++)
        {
            chars[i] = consonants[RandomNumberGenerator.GetInt32(consonants.Length)];
        }

        return new string(chars);
    }

    public static Guid Id(this JsonElement e) => e.GetProperty("id").GetGuid();

    public static string[] Ids(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => (i.TryGetProperty("incident", out var inc) ? inc : i).GetProperty("id").GetString()!).ToArray();
}
