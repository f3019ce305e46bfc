namespace Footage.Storage.Holds;

/// <summary>What one sweep of the hold keeper did: segments moved to held copies, store holds lifted, failures left for the next sweep.</summary>
public sealed record HoldSweep(int Moved, int Released, int Failed);
