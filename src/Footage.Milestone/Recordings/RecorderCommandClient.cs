using System.Globalization;
using System.Xml.Linq;
using Footage.Milestone.Soap;

namespace Footage.Milestone.Recordings;

/// <summary>
/// Milestone's RecorderCommandService on a recording server (<c>{recorder}/RecorderCommandService/RecorderCommandService.asmx</c>):
/// which sequence types exist and which spans of a camera are recorded.
/// </summary>
public sealed class RecorderCommandClient(SoapClient soap)
{
    public static readonly XNamespace Namespace = "http://videoos.net/2/XProtectCSRecorderCommand";
    public const string Path = "RecorderCommandService/RecorderCommandService.asmx";

    public sealed record SequenceType(Guid Id, string Name);

    public async Task<IReadOnlyList<SequenceType>> GetTypesAsync(Uri recorder, string token, Guid deviceId, CancellationToken cancellationToken)
    {
        var body = new XElement(Namespace + "SequencesGetTypes",
            new XElement(Namespace + "token", token),
            new XElement(Namespace + "deviceId", deviceId.ToString("D")));
        var answer = await soap.CallAsync(new Uri(recorder, Path), Action("SequencesGetTypes"), body, null, cancellationToken);
        return SoapClient.Children(SoapClient.Child(answer, "SequencesGetTypesResult"), "SequenceType")
            .Select(t => new SequenceType(Guid.Parse(SoapClient.Required(t, "Id", "SequencesGetTypes")), SoapClient.Child(t, "Name")?.Value ?? string.Empty))
            .ToArray();
    }

    /// <summary>Recorded spans overlapping [from, to), sorted by start; empty when nothing is recorded.</summary>
    public async Task<IReadOnlyList<RecordedSequence>> GetSequencesAsync(
        Uri recorder, string token, Guid deviceId, Guid sequenceType, DateTimeOffset from, DateTimeOffset to, int maxCount, CancellationToken cancellationToken)
    {
        var body = new XElement(Namespace + "SequencesGet",
            new XElement(Namespace + "token", token),
            new XElement(Namespace + "deviceId", deviceId.ToString("D")),
            new XElement(Namespace + "sequenceType", sequenceType.ToString("D")),
            new XElement(Namespace + "minTime", Instant(from)),
            new XElement(Namespace + "maxTime", Instant(to)),
            new XElement(Namespace + "maxCount", maxCount.ToString(CultureInfo.InvariantCulture)));
        var answer = await soap.CallAsync(new Uri(recorder, Path), Action("SequencesGet"), body, null, cancellationToken);
        return SoapClient.Children(SoapClient.Child(answer, "SequencesGetResult"), "SequenceEntry")
            .Select(e => new RecordedSequence(Time(e, "TimeBegin"), Time(e, "TimeTrigged"), Time(e, "TimeEnd")))
            .OrderBy(s => s.TimeBegin)
            .ToArray();
    }

    private static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(XElement entry, string name) =>
        DateTimeOffset.Parse(SoapClient.Required(entry, name, "SequencesGet"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Action(string method) => $"{Namespace.NamespaceName}/{method}";
}
