using System.ComponentModel.DataAnnotations;

namespace Footage.Recording.Leases;

/// <summary>
/// <c>Footage:Recording:Leases</c>: how recorder processes share the cameras. A camera is recorded by the recorder
/// holding its lease; a recorder renews its leases every <see cref="RenewInterval"/>, and one that stops renewing
/// loses them after <see cref="Duration"/>.
/// </summary>
public sealed class LeaseOptions
{
    public const string Section = "Footage:Recording:Leases";

    /// <summary>This recorder's name in <c>camera_leases</c>; empty means the machine's name plus a hash of the spool folder.</summary>
    [MaxLength(100)]
    public string? RecorderId { get; set; }

    /// <summary>Where the other modules reach this recorder (its live edge); empty means the first address Kestrel listens on.</summary>
    public string? RecorderUrl { get; set; }

    /// <summary>Start drained: finish and upload what the spool holds, take no camera until <c>DELETE /api/v1/recording/drain</c>.</summary>
    public bool Drained { get; set; }

    /// <summary>How long a lease lasts without renewal: the longest a dead recorder's cameras wait for another recorder.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases are renewed and free cameras looked for; well under <see cref="Duration"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(10);
}
