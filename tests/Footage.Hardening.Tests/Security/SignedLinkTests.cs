using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Hardening.Tests.BadInput;
using Footage.ServiceDefaults.Auth;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Signed media, still and download links, and the signed media folders of playlists, work without a key for exactly the
/// resource or folder they were made for, until they expire; pointed at another camera, segment, export, link or endpoint, or
/// stretched in time, they are refused.
/// </summary>
/// <remarks>The tests only read with the links they sign: they share one seeded host.</remarks>
public sealed class SignedLinkTests(SeededSqliteHost seeded) : IClassFixture<SeededSqliteHost>
{
    private readonly HardeningHost _host = seeded.Host;

    [Fact]
    public async Task A_media_folder_token_plays_its_camera_only_until_it_expires_and_nothing_else()
    {
        var camera = _host.Seeds.First("camera");
        var from = Uri.EscapeDataString(_host.Seeds.FootageStart.ToString("O"));
        var to = Uri.EscapeDataString(_host.Seeds.FootageEnd.ToString("O"));
        var playlist = await _host.Server.Admin.GetStringAsync($"api/v1/playback/{camera}/hls?from={from}&to={to}");
        // the playlist names its media relative to itself, under the camera's signed media folder
        var line = playlist.Split('\n').First(l => l.StartsWith("m/", StringComparison.Ordinal)).Trim();
        var link = $"api/v1/playback/{camera}/{line}";
        var token = line.Split('/')[1];
        var anonymous = _host.Server.CreateClient();

        var ok = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var ranged = new HttpRequestMessage(HttpMethod.Get, link);
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 187);
        Assert.Equal(HttpStatusCode.PartialContent, (await anonymous.SendAsync(ranged)).StatusCode);

        var other = Guid.NewGuid().ToString();
        await AssertRefusedAsync(anonymous, link.Replace(camera, other, StringComparison.Ordinal), "another camera");
        await AssertRefusedAsync(anonymous, link.Replace(token, "1" + token, StringComparison.Ordinal), "a later expiry");
        await AssertRefusedAsync(anonymous, link.Replace(token, token[..^2] + (token.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"), StringComparison.Ordinal), "a guessed signature");
        await AssertRefusedAsync(anonymous, $"api/v1/playback/links/{other}/{token}/index.m3u8", "a shared link's folder");
        await AssertRefusedAsync(anonymous, $"api/v1/cameras/{token}/x", "the API");
        await AssertRefusedAsync(anonymous, $"api/v1/playback/{camera}/m/{token}/../../hls?from={from}&to={to}", "a playlist");

        var signer = _host.Server.Get<LinkSigner>();
        var expired = signer.SignFolder($"/api/v1/playback/{camera}/m/", DateTimeOffset.UtcNow.AddSeconds(-1));
        await AssertRefusedAsync(anonymous, link.Replace(token, expired, StringComparison.Ordinal), "an expired token");
    }

    [Fact]
    public async Task A_signed_media_link_plays_its_segment_only_until_it_expires_and_nothing_else()
    {
        var camera = _host.Seeds.First("camera");
        var segment = _host.Seeds.First("segment");
        var signer = _host.Server.Get<LinkSigner>();
        var (url, _) = signer.Sign($"/api/v1/playback/{camera}/media/{segment}.ts", TimeSpan.FromHours(1));
        var link = url.TrimStart('/');
        var anonymous = _host.Server.CreateClient();

        var ok = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var ranged = new HttpRequestMessage(HttpMethod.Get, link);
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 187);
        Assert.Equal(HttpStatusCode.PartialContent, (await anonymous.SendAsync(ranged)).StatusCode);

        var other = Guid.NewGuid().ToString();
        await AssertRefusedAsync(anonymous, link.Replace(camera, other, StringComparison.Ordinal), "another camera");
        await AssertRefusedAsync(anonymous, link.Replace(segment, other, StringComparison.Ordinal), "another segment");
        await AssertRefusedAsync(anonymous, StretchExpiry(link), "a later expiry");
        await AssertRefusedAsync(anonymous, link + "&from=0", "an extra parameter after the signature");
        await AssertRefusedAsync(anonymous, link.Replace("/media/", "/thumbnails/", StringComparison.Ordinal).Replace(".ts?", "?", StringComparison.Ordinal), "another endpoint");
        var query = link[link.IndexOf('?', StringComparison.Ordinal)..];
        await AssertRefusedAsync(anonymous, "api/v1/cameras" + query, "the API");
        await AssertRefusedAsync(anonymous, $"api/v1/playback/{camera}/hls{query}", "a playlist");

        var (expired, _) = signer.Sign($"/api/v1/playback/{camera}/media/{segment}.ts", TimeSpan.FromSeconds(-1));
        await AssertRefusedAsync(anonymous, expired, "an expired link");
    }

    [Fact]
    public async Task A_signed_export_link_downloads_that_export_only()
    {
        var export = _host.Seeds.First("export");
        var described = await _host.Server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/exports/{export}");
        var link = described.GetProperty("download_url").GetString()!;
        var anonymous = _host.Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(link)).StatusCode);

        await AssertRefusedAsync(anonymous, link.Replace(export, Guid.NewGuid().ToString(), StringComparison.Ordinal), "another export");
        await AssertRefusedAsync(anonymous, StretchExpiry(link), "a later expiry");
        await AssertRefusedAsync(anonymous, link.Replace("/download", "", StringComparison.Ordinal), "the export's record");
        var (expired, _) = _host.Server.Get<LinkSigner>().Sign($"/api/v1/storage/exports/{export}/download", TimeSpan.FromSeconds(-1));
        await AssertRefusedAsync(anonymous, expired, "an expired link");
    }

    private static string StretchExpiry(string link)
    {
        var start = link.IndexOf("expires=", StringComparison.Ordinal) + "expires=".Length;
        var end = link.IndexOf('&', start);
        var expires = long.Parse(link[start..end], System.Globalization.CultureInfo.InvariantCulture);
        return link[..start] + (expires + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture) + link[end..];
    }

    private static async Task AssertRefusedAsync(HttpClient client, string link, string what)
    {
        using var response = await client.GetAsync(link.TrimStart('/'));
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
            $"a signed link used for {what} was answered {(int)response.StatusCode}: {link}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
