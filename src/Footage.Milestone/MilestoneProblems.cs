using Footage.ServiceDefaults.Errors;

namespace Footage.Milestone;

/// <summary>What a <see cref="MilestoneException"/> is to an API caller: the problem that names what Milestone said.</summary>
public sealed class MilestoneProblems : IExceptionProblems
{
    public static ProblemDescription Of(MilestoneException e) => e.Failure switch
    {
        MilestoneFailure.Unreachable or MilestoneFailure.Busy => new ProblemDescription(503, "Milestone unavailable", e.Message),
        MilestoneFailure.Unsupported => new ProblemDescription(502, "Milestone footage not supported", e.Message),
        MilestoneFailure.UnknownCamera => new ProblemDescription(404, "Unknown Milestone camera", e.Message),
        _ => new ProblemDescription(502, "Milestone refused", e.Message),
    };

    public ProblemDescription? Describe(Exception exception) => exception is MilestoneException e ? Of(e) : null;
}
