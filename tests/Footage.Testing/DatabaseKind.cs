namespace Footage.Testing;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
