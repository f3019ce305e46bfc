using System.ComponentModel.DataAnnotations;

namespace Footage.Data;

/// <summary><c>Footage:Database</c>: which database holds the catalog.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Footage:Database";

    /// <summary><c>sqlite</c> (the embedded default) or <c>postgresql</c>.</summary>
    [Required]
    [RegularExpression("^(?i)(sqlite|postgresql|postgres)$", ErrorMessage = "Footage:Database:Provider must be 'sqlite' or 'postgresql'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string; for SQLite, empty means <c>footage.db</c> in the data folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Seconds a command may run before it is cancelled.</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    public bool IsPostgres => Provider.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
}
