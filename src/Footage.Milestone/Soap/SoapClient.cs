using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Footage.Milestone.Soap;

/// <summary>
/// SOAP 1.1 over HTTP with System.Xml.Linq. Milestone's ServerCommandService and RecorderCommandService are
/// plain document/literal services; WCF's client is not needed (and its Linux port lacks the WS-* bindings
/// the generated proxies ask for), so we write the few envelopes we use and read the answers by name.
/// </summary>
public sealed class SoapClient(HttpClient http)
{
    public static readonly XNamespace Envelope = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary>Posts <paramref name="body"/> and returns the element inside the answer's Body; throws <see cref="MilestoneException"/> on a fault.</summary>
    public async Task<XElement> CallAsync(Uri endpoint, string soapAction, XElement body, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var envelope = new XDocument(new XElement(Envelope + "Envelope", new XAttribute(XNamespace.Xmlns + "soap", Envelope.NamespaceName), new XElement(Envelope + "Body", body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(envelope.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "text/xml"),
        };
        request.Headers.Add("SOAPAction", $"\"{soapAction}\"");
        request.Headers.Authorization = authorization;
        var name = body.Name.LocalName;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var answer = Parse(text, response, name);
            MilestoneMetrics.Requests.WithLabels(name, "ok").Inc();
            return answer;
        }
        catch (MilestoneException e)
        {
            MilestoneMetrics.Requests.WithLabels(name, "error").Inc();
            MilestoneMetrics.Failed(e);
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            MilestoneMetrics.Requests.WithLabels(name, "error").Inc();
            var failure = new MilestoneException(MilestoneFailure.Unreachable, $"Milestone did not answer {name} at {endpoint.GetLeftPart(UriPartial.Path)}: {e.Message}", e);
            MilestoneMetrics.Failed(failure);
            throw failure;
        }
        finally
        {
            MilestoneMetrics.RequestSeconds.WithLabels(name).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static XElement Parse(string text, HttpResponseMessage response, string method)
    {
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            throw new MilestoneException(MilestoneFailure.BadCredentials, $"Milestone refused {method}: HTTP 401 (the identity token was not accepted).");
        }

        XDocument document;
        try
        {
            document = XDocument.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"Milestone answered {method} with HTTP {(int)response.StatusCode} and no SOAP envelope.");
        }

        var body = document.Root?.Element(Envelope + "Body")
            ?? throw new MilestoneException(MilestoneFailure.Protocol, $"Milestone's answer to {method} has no SOAP Body.");
        var fault = body.Element(Envelope + "Fault");
        if (fault is not null)
        {
            throw FaultToException(fault, method);
        }

        return body.Elements().FirstOrDefault()
            ?? throw new MilestoneException(MilestoneFailure.Protocol, $"Milestone's answer to {method} is empty.");
    }

    /// <summary>
    /// Milestone documents error 20001 with sub-errors 1-4 (none, invalid, expired, retry) for token problems; sub-error 4
    /// says the token is fine and the call is to be made again, not that we must sign in anew. Where
    /// the numbers sit inside <c>detail</c> is not documented; we look for elements named ErrorNumber and SubErrorNumber
    /// anywhere in it (unverified against a real server) and fall back to the fault string.
    /// </summary>
    internal static MilestoneException FaultToException(XElement fault, string method)
    {
        var text = fault.Element("faultstring")?.Value.Trim() ?? "SOAP fault";
        var detail = fault.Element("detail");
        var number = Number(detail, "ErrorNumber");
        var sub = Number(detail, "SubErrorNumber");
        var failure = (number, sub) switch
        {
            (20001, 3) => MilestoneFailure.TokenExpired,
            (20001, 4) => MilestoneFailure.Busy,
            (20001, _) => MilestoneFailure.TokenInvalid,
            _ when text.Contains("expired", StringComparison.OrdinalIgnoreCase) => MilestoneFailure.TokenExpired,
            _ when text.Contains("token", StringComparison.OrdinalIgnoreCase) => MilestoneFailure.TokenInvalid,
            _ when text.Contains("device", StringComparison.OrdinalIgnoreCase) || text.Contains("camera", StringComparison.OrdinalIgnoreCase) => MilestoneFailure.UnknownCamera,
            _ => MilestoneFailure.Refused,
        };
        var numbers = number is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (error {number}, sub-error {sub})");
        return new MilestoneException(failure, $"Milestone refused {method}: {text}{numbers}.");
    }

    private static int? Number(XElement? detail, string name)
    {
        var value = detail?.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>The child of <paramref name="parent"/> with this local name, whatever its namespace.</summary>
    public static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static IEnumerable<XElement> Children(XElement? parent, string name) =>
        parent?.Elements().Where(e => e.Name.LocalName == name) ?? [];

    public static string Required(XElement? parent, string name, string method) =>
        Child(parent, name)?.Value ?? throw new MilestoneException(MilestoneFailure.Protocol, $"Milestone's answer to {method} lacks {name}.");
}
