namespace Footage.Data.Migrations;

/// <summary>
/// One versioned schema change of one module, written for each database. Versions only grow; a shipped
/// migration is never edited, a new one is added.
/// </summary>
public sealed record Migration(string Module, int Version, string Name, string PostgresSql, string SqliteSql);
