using Prometheus;

namespace Footage.Milestone;

/// <summary>Prometheus metrics of the Milestone adapter: requests by kind and outcome, video bytes and frames read.</summary>
public static class MilestoneMetrics
{
    public static readonly Counter Requests = Metrics.CreateCounter(
        "footage_milestone_requests_total", "Requests to Milestone, by request and outcome (ok, error).", "request", "outcome");

    public static readonly Counter Errors = Metrics.CreateCounter(
        "footage_milestone_errors_total", "Milestone failures, by kind (bad_credentials, token_invalid, unreachable, ...).", "kind");

    public static readonly Counter Bytes = Metrics.CreateCounter(
        "footage_milestone_bytes_total", "Video bytes read from Milestone's ImageServer.");

    public static readonly Counter Frames = Metrics.CreateCounter(
        "footage_milestone_frames_total", "Video frames read from Milestone's ImageServer.");

    public static readonly Counter Skipped = Metrics.CreateCounter(
        "footage_milestone_skipped_total", "What the ImageServer sent that is not video and was passed over, by kind (audio, metadata, message).", "kind");

    public static readonly Counter BusyRetries = Metrics.CreateCounter(
        "footage_milestone_busy_retries_total", "Requests made again because Milestone asked to try again (error 20001, sub-error 4).");

    public static readonly Counter Reconnects = Metrics.CreateCounter(
        "footage_milestone_reconnects_total", "ImageServer reads resumed on a new connection after a failure.");

    public static readonly Histogram RequestSeconds = Metrics.CreateHistogram(
        "footage_milestone_request_seconds", "Duration of Milestone requests.", new HistogramConfiguration { LabelNames = ["request"] });

    public static void Failed(MilestoneException e) =>
        Errors.WithLabels(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Failure.ToString())).Inc();
}
