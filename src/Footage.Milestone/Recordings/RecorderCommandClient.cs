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

    /// <summary>
    /// Recorded spans overlapping [from, to), sorted by start; empty when nothing is recorded. <c>SequencesGet</c> works
    /// onwards from minTime: a span that began before <paramref name="from"/> and lasts into it (a continuous recording
    /// runs for days) is not in its answer, so the span around <paramref name="from"/> comes from <c>SequencesGetAround</c>.
    /// </summary>
    public async Task<IReadOnlyList<RecordedSequence>> GetSequencesAsync(
        Uri recorder, string token, Guid deviceId, Guid sequenceType, DateTimeOffset from, DateTimeOffset to, int maxCount, CancellationToken cancellationToken)
    {
        var before = await CallAsync(recorder, "SequencesGetAround", "SequencesGetAroundResult",
        [
            new XElement(Namespace + "token", token),
            new XElement(Namespace + "deviceId", deviceId.ToString("D")),
            new XElement(Namespace + "sequenceType", sequenceType.ToString("D")),
            new XElement(Namespace + "centerTime", Instant(from)),
            new XElement(Namespace + "maxCountBefore", 1),
            new XElement(Namespace + "maxCountAfter", 0),
        ], cancellationToken);
        var onwards = await CallAsync(recorder, "SequencesGet", "SequencesGetResult",
        [
            new XElement(Namespace + "token", token),
            new XElement(Namespace + "deviceId", deviceId.ToString("D")),
            new XElement(Namespace + "sequenceType", sequenceType.ToString("D")),
            new XElement(Namespace + "minTime", Instant(from)),
            new XElement(Namespace + "maxTime", Instant(to)),
            new XElement(Namespace + "maxCount", maxCount.ToString(CultureInfo.InvariantCulture)),
        ], cancellationToken);
        return before.Where(s => s.TimeBegin < from && s.TimeEnd > from)
            .Concat(onwards)
            .DistinctBy(s => s.TimeBegin)
            .OrderBy(s => s.TimeBegin)
            .Take(maxCount)
            .ToArray();
    }

    private async Task<IReadOnlyList<RecordedSequence>> CallAsync(Uri recorder, string method, string result, XElement[] parameters, CancellationToken cancellationToken)
    {
        var answer = await soap.CallAsync(new Uri(recorder, Path), Action(method), new XElement(Namespace + method, parameters), null, cancellationToken);
        return SoapClient.Children(SoapClient.Child(answer, result), "SequenceEntry")
            .Select(e => new RecordedSequence(Time(e, "TimeBegin", method), Time(e, "TimeTrigged", method), Time(e, "TimeEnd", method)))
            .ToArray();
    }

    private static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(XElement entry, string name, string method) =>
        DateTimeOffset.Parse(SoapClient.Required(entry, name, method), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Action(string method) => $"{Namespace.NamespaceName}/{method}";
}
