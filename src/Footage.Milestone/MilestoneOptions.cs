using System.ComponentModel.DataAnnotations;

namespace Footage.Milestone;

/// <summary><c>Footage:Milestone</c>: where Milestone XProtect is and how to sign in. Off while <see cref="ServerUrl"/> is unset.</summary>
public sealed class MilestoneOptions : IValidatableObject
{
    public const string Section = "Footage:Milestone";

    /// <summary>The management server, e.g. <c>https://xprotect.example.org/</c> (identity provider and ServerCommandService).</summary>
    public string? ServerUrl { get; set; }

    /// <summary>A Milestone basic user (never logged).</summary>
    public string? Username { get; set; }

    /// <summary>Its password (never logged).</summary>
    public string? Password { get; set; }

    /// <summary>OAuth2 client id of the identity provider; Milestone's documented one for password grants.</summary>
    public string ClientId { get; set; } = "GrantValidatorClient";

    /// <summary>Path of the token endpoint below <see cref="ServerUrl"/> (<c>API/IDP/connect/token</c> through the API Gateway).</summary>
    public string TokenPath { get; set; } = "IDP/connect/token";

    /// <summary>Accept a recorder's or server's self-signed TLS certificate (XProtect installs one by default).</summary>
    public bool AcceptAnyCertificate { get; set; }

    /// <summary>Renew the session token when less than this share of its lifetime is left.</summary>
    [Range(0.05, 0.9)]
    public double RenewWhenLeft { get; set; } = 0.25;

    /// <summary>Timeout of one SOAP or token request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An ImageServer answer slower than this is a stall: the connection is dropped and the read resumes on a new one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Reconnections in a row without a new frame before a read gives up.</summary>
    [Range(0, 100)]
    public int MaxReconnects { get; set; } = 5;

    /// <summary>How many times a request Milestone answers with "try again" (error 20001, sub-error 4) is made again, with the same token.</summary>
    [Range(0, 20)]
    public int BusyRetries { get; set; } = 3;

    /// <summary>The wait before the first repeat of such a request; it grows by as much again at each repeat.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Import Milestone's cameras (GetConfiguration) into our camera directory as MILESTONE cameras.</summary>
    public bool ImportCameras { get; set; } = true;

    /// <summary>How often the catalog is synchronised with Milestone's recordings (0 = only on demand).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back a sync looks for Milestone sequences.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "365.00:00:00")]
    public TimeSpan SyncLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Milestone sequences are catalogued in pieces of at most this length (whole GOPs).</summary>
    [Range(5, 3600)]
    public int PieceSeconds { get; set; } = 600;

    /// <summary>Where transmuxed Milestone footage is cached; default <c>milestone-cache</c> in the data folder.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The cache is trimmed (least recently used first) above this size.</summary>
    [Range(1L << 20, long.MaxValue)]
    public long CacheMaxBytes { get; set; } = 20L << 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(ServerUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(ServerUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"{Section}:ServerUrl must be an http:// or https:// URL.", [nameof(ServerUrl)]);
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // the URL is quoted in errors and logs; credentials belong in Username and Password
            yield return new ValidationResult($"{Section}:ServerUrl must not carry a user or password; set {Section}:Username and {Section}:Password.", [nameof(ServerUrl)]);
        }

        if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult($"{Section}:Username and {Section}:Password are required when ServerUrl is set.", [nameof(Username)]);
        }
    }

    public Uri ServerBaseUri => new(ServerUrl!.EndsWith('/') ? ServerUrl : ServerUrl + "/");
}
