namespace Footage.Testing;

public static class RepositoryPaths
{
    /// <summary>The folder holding Footage.slnx, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string TestTools => Path.Combine(Root, "tests", "tools");

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Footage.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Footage.slnx not found above " + AppContext.BaseDirectory);
    }
}
