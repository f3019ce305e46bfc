namespace Footage.ServiceDefaults.Errors;

/// <summary>The status, title and detail of the problem details an exception becomes.</summary>
public sealed record ProblemDescription(int Status, string Title, string Detail);
