namespace Footage.Evidence;

/// <summary>What does not match in a package: the file concerned and what differs, in words.</summary>
public sealed record EvidenceProblem(string File, string Problem)
{
    public override string ToString() => $"{File}: {Problem}";
}
