using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Footage.Milestone.Simulator;

/// <summary>
/// The HTTP side of the simulated XProtect: the identity provider's token endpoint, ServerCommandService
/// (<c>Login</c>, <c>GetConfiguration</c>) and RecorderCommandService (<c>SequencesGetTypes</c>, <c>SequencesGet</c>,
/// <c>SequencesGetAround</c>),
/// written from Milestone's documentation (see the notes on the protocols). Element names follow the documented
/// classes; where the layout of a fault's detail is not documented the simulator puts ErrorNumber and SubErrorNumber
/// directly inside <c>detail</c> (unverified against a real server).
/// </summary>
internal static class SoapEndpoints
{
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace ServerNs = "http://videoos.net/2/XProtectCSServerCommand";
    private static readonly XNamespace RecorderNs = "http://videoos.net/2/XProtectCSRecorderCommand";
    private static readonly Guid RecordingSequence = new("f9c62604-d0c5-4050-ae25-72de51639b14");
    private static readonly Guid MotionSequence = new("53cb5e33-2183-44bd-9491-8364d2457480");
    private static readonly Guid TriggerSequence = new("0601d294-b7e5-4d93-9614-9658561ad5e4");

    public static void Map(WebApplication app, MilestoneSimulator simulator)
    {
        app.MapPost("/IDP/connect/token", (HttpRequest request) => Token(request, simulator));
        app.MapPost("/API/IDP/connect/token", (HttpRequest request) => Token(request, simulator));
        app.MapPost("/ManagementServer/ServerCommandServiceOAuth.svc", (HttpRequest request) => ServerCommand(request, simulator));
        app.MapPost("/RecorderCommandService/RecorderCommandService.asmx", (HttpRequest request) => RecorderCommand(request, simulator));
    }

    private static async Task<IResult> Token(HttpRequest request, MilestoneSimulator simulator)
    {
        simulator.Count("token");
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "password" || form["client_id"] != "GrantValidatorClient")
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 400);
        }

        if (form["username"] != simulator.Username || form["password"] != simulator.Password)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "invalid_username_or_password" }, statusCode: 400);
        }

        return Results.Json(new { access_token = simulator.Tokens.IssueAccess(), expires_in = (int)simulator.Tokens.AccessLifetime.TotalSeconds, token_type = "Bearer" });
    }

    private static async Task<IResult> ServerCommand(HttpRequest request, MilestoneSimulator simulator)
    {
        var auth = request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !simulator.Tokens.AccessValid(auth["Bearer ".Length..]))
        {
            simulator.Count("unauthorized");
            return Results.StatusCode(401);
        }

        var call = await BodyAsync(request);
        simulator.Count(call.Name.LocalName);
        switch (call.Name.LocalName)
        {
            case "Login":
                var current = Value(call, "currentToken");
                var renewal = !string.IsNullOrEmpty(current);
                if (renewal && simulator.Tokens.Check(current) is var sub and not 0)
                {
                    return Fault(sub == 3 ? "Token expired" : "Token invalid", 20001, sub);
                }

                // a renewal hands out a new token (the old one stays valid until it expires): clients pass it on with connectupdate
                var token = simulator.Tokens.IssueSession(renewal);
                return Envelope(new XElement(ServerNs + "LoginResponse", new XElement(ServerNs + "LoginResult",
                    new XElement(ServerNs + "RegistrationTime", Instant(simulator.Clock.GetUtcNow())),
                    new XElement(ServerNs + "TimeToLive", new XElement(ServerNs + "MicroSeconds", ((long)simulator.Tokens.SessionLifetime.TotalMicroseconds).ToString(CultureInfo.InvariantCulture))),
                    new XElement(ServerNs + "TimeToLiveLimited", "false"),
                    new XElement(ServerNs + "Token", token))));
            case "GetConfiguration":
                if (simulator.Tokens.Check(Value(call, "token")) is var check and not 0)
                {
                    return Fault(check == 3 ? "Token expired" : "Token invalid", 20001, check);
                }

                return Envelope(new XElement(ServerNs + "GetConfigurationResponse", new XElement(ServerNs + "GetConfigurationResult",
                    new XElement(ServerNs + "ServerId", simulator.ServerId),
                    new XElement(ServerNs + "Recorders", new XElement(ServerNs + "RecorderInfo",
                        new XElement(ServerNs + "RecorderId", simulator.RecorderId),
                        new XElement(ServerNs + "Name", "Simulated recording server"),
                        new XElement(ServerNs + "WebServerUri", simulator.BaseUri.ToString()),
                        new XElement(ServerNs + "Cameras", simulator.Recordings.Cameras.Select(c => new XElement(ServerNs + "CameraInfo",
                            new XElement(ServerNs + "DeviceId", c.DeviceId),
                            new XElement(ServerNs + "Name", c.Name),
                            new XElement(ServerNs + "RecorderId", simulator.RecorderId))))))))); 
            default:
                return Fault($"Unknown method {call.Name.LocalName}", 0, 0);
        }
    }

    private static async Task<IResult> RecorderCommand(HttpRequest request, MilestoneSimulator simulator)
    {
        var call = await BodyAsync(request);
        simulator.Count(call.Name.LocalName);
        if (simulator.Tokens.Check(Value(call, "token")) is var check and not 0)
        {
            return Fault(check == 3 ? "Token expired" : "Token invalid", 20001, check);
        }

        if (simulator.Faults.NextSoap(call.Name.LocalName) is { } armed)
        {
            simulator.Count("fault_soap");
            return Fault(armed.Sub == 4 ? "The server is busy, try again" : $"Error {armed.Number}", armed.Number, armed.Sub);
        }

        if (!Guid.TryParse(Value(call, "deviceId"), out var device) || !simulator.Recordings.TryGet(device, out _))
        {
            return Fault($"Device {Value(call, "deviceId")} not found", 0, 0);
        }

        var type = Guid.TryParse(Value(call, "sequenceType"), out var t) ? t : Guid.Empty;
        var sequences = type != RecordingSequence ? [] : simulator.Recordings.Sequences(device).ToList();
        switch (call.Name.LocalName)
        {
            case "SequencesGetTypes":
                return Envelope(new XElement(RecorderNs + "SequencesGetTypesResponse", new XElement(RecorderNs + "SequencesGetTypesResult",
                    SequenceType(RecordingSequence, "RecordingSequence"), SequenceType(MotionSequence, "MotionSequence"), SequenceType(TriggerSequence, "RecordingWithTriggerSequence"))));
            case "SequencesGet":
                // "sequences are processed onwards from minTime": one that began before minTime is not in the answer, even
                // while it lasts into [minTime, maxTime) (a continuous recording begins once and runs for days)
                var min = Time(call, "minTime");
                var max = Time(call, "maxTime");
                var maxCount = int.Parse(Value(call, "maxCount") ?? "0", CultureInfo.InvariantCulture);
                return Envelope(new XElement(RecorderNs + "SequencesGetResponse", new XElement(RecorderNs + "SequencesGetResult",
                    sequences.Where(s => s.Begin >= min && s.Begin < max).Take(maxCount).Select(Entry))));
            case "SequencesGetAround":
                // the last maxCountBefore sequences that began before centerTime and the first maxCountAfter at or after it
                var center = Time(call, "centerTime");
                var before = int.Parse(Value(call, "maxCountBefore") ?? "0", CultureInfo.InvariantCulture);
                var after = int.Parse(Value(call, "maxCountAfter") ?? "0", CultureInfo.InvariantCulture);
                return Envelope(new XElement(RecorderNs + "SequencesGetAroundResponse", new XElement(RecorderNs + "SequencesGetAroundResult",
                    sequences.Where(s => s.Begin < center).TakeLast(before).Concat(sequences.Where(s => s.Begin >= center).Take(after)).Select(Entry))));
            default:
                return Fault($"Unknown method {call.Name.LocalName}", 0, 0);
        }
    }

    private static XElement Entry((long Begin, long End) s) => new(RecorderNs + "SequenceEntry",
        new XElement(RecorderNs + "TimeBegin", Instant(DateTimeOffset.FromUnixTimeMilliseconds(s.Begin))),
        new XElement(RecorderNs + "TimeTrigged", Instant(DateTimeOffset.FromUnixTimeMilliseconds(s.Begin))),
        new XElement(RecorderNs + "TimeEnd", Instant(DateTimeOffset.FromUnixTimeMilliseconds(s.End))));

    private static long Time(XElement call, string name) =>
        DateTimeOffset.Parse(Value(call, name) ?? string.Empty, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static XElement SequenceType(Guid id, string name) =>
        new(RecorderNs + "SequenceType", new XElement(RecorderNs + "Id", id), new XElement(RecorderNs + "Name", name));

    private static async Task<XElement> BodyAsync(HttpRequest request)
    {
        var document = await XDocument.LoadAsync(request.Body, LoadOptions.None, request.HttpContext.RequestAborted);
        return document.Root!.Element(Soap + "Body")!.Elements().First();
    }

    private static string? Value(XElement call, string name) => call.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static IResult Envelope(XElement body) =>
        Results.Text(new XDocument(new XElement(Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "soap", Soap.NamespaceName), new XElement(Soap + "Body", body))).ToString(),
            "text/xml; charset=utf-8");

    private static IResult Fault(string text, int number, int sub)
    {
        var fault = new XElement(Soap + "Fault",
            new XElement("faultcode", "soap:Server"),
            new XElement("faultstring", text),
            new XElement("detail", new XElement("ErrorNumber", number), new XElement("SubErrorNumber", sub)));
        var xml = new XDocument(new XElement(Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "soap", Soap.NamespaceName), new XElement(Soap + "Body", fault))).ToString();
        return Results.Text(xml, "text/xml; charset=utf-8", statusCode: 500);
    }

    private static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
