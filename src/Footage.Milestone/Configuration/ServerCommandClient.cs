using System.Globalization;
using System.Net.Http.Headers;
using System.Xml.Linq;
using Footage.Milestone.Soap;
using Microsoft.Extensions.Options;

namespace Footage.Milestone.Configuration;

/// <summary>
/// Milestone's ServerCommandService on the management server: <c>Login</c> (an identity-provider token for a
/// session token the recorders accept) and <c>GetConfiguration</c> (recorders and their cameras).
/// </summary>
public sealed class ServerCommandClient(SoapClient soap, IOptions<MilestoneOptions> options)
{
    public static readonly XNamespace Namespace = "http://videoos.net/2/XProtectCSServerCommand";
    public const string OAuthPath = "ManagementServer/ServerCommandServiceOAuth.svc";

    /// <summary>A session token and when it stops being valid.</summary>
    public sealed record LoginResult(string Token, DateTimeOffset RegistrationTime, TimeSpan TimeToLive)
    {
        public DateTimeOffset ExpiresAt => RegistrationTime + TimeToLive;
    }

    private Uri Endpoint => new(options.Value.ServerBaseUri, OAuthPath);

    /// <param name="currentToken">The session token to renew, or empty for a new session.</param>
    public async Task<LoginResult> LoginAsync(Guid instanceId, string currentToken, string accessToken, CancellationToken cancellationToken)
    {
        var body = new XElement(Namespace + "Login",
            new XElement(Namespace + "instanceId", instanceId.ToString("D")),
            new XElement(Namespace + "currentToken", currentToken));
        var answer = await soap.CallAsync(Endpoint, Action("Login"), body, new AuthenticationHeaderValue("Bearer", accessToken), cancellationToken);
        var result = SoapClient.Child(answer, "LoginResult");
        var token = SoapClient.Required(result, "Token", "Login");
        var registered = DateTimeOffset.Parse(SoapClient.Required(result, "RegistrationTime", "Login"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var micro = long.Parse(SoapClient.Required(SoapClient.Child(result, "TimeToLive"), "MicroSeconds", "Login"), CultureInfo.InvariantCulture);
        return new LoginResult(token, registered, TimeSpan.FromMicroseconds(micro));
    }

    public async Task<IReadOnlyList<MilestoneCamera>> GetCamerasAsync(string token, string accessToken, CancellationToken cancellationToken)
    {
        var body = new XElement(Namespace + "GetConfiguration", new XElement(Namespace + "token", token));
        var answer = await soap.CallAsync(Endpoint, Action("GetConfiguration"), body, new AuthenticationHeaderValue("Bearer", accessToken), cancellationToken);
        var result = SoapClient.Child(answer, "GetConfigurationResult");
        var cameras = new List<MilestoneCamera>();
        foreach (var recorder in SoapClient.Children(SoapClient.Child(result, "Recorders"), "RecorderInfo"))
        {
            var uriText = SoapClient.Required(recorder, "WebServerUri", "GetConfiguration");
            if (!Uri.TryCreate(uriText, UriKind.Absolute, out var uri))
            {
                throw new MilestoneException(MilestoneFailure.Protocol, $"GetConfiguration lists a recorder with the address '{uriText}', which is not a URL.");
            }

            foreach (var camera in SoapClient.Children(SoapClient.Child(recorder, "Cameras"), "CameraInfo"))
            {
                if (Guid.TryParse(SoapClient.Child(camera, "DeviceId")?.Value, out var id))
                {
                    cameras.Add(new MilestoneCamera(id, SoapClient.Child(camera, "Name")?.Value ?? id.ToString("D"), uri));
                }
            }
        }

        return cameras;
    }

    private static string Action(string method) => $"{Namespace.NamespaceName}/IServerCommandService/{method}";
}
