namespace Footage.Data.Migrations;

/// <summary>A module's migrations; each module registers one.</summary>
public interface IMigrationSource
{
    IEnumerable<Migration> Migrations { get; }
}
