namespace Footage.ServiceDefaults.Work;

/// <summary>
/// One admitted job: its slot, its scratch reservation and its own scratch folder. Disposing it deletes the folder and
/// gives slot and reservation back; it is safe to dispose more than once.
/// </summary>
public sealed class WorkLease : IDisposable
{
    private readonly Action<WorkLease> _release;
    private int _released;

    internal WorkLease(string caller, long scratchBytes, string? folder, Action<WorkLease> release)
    {
        Caller = caller;
        ScratchBytes = scratchBytes;
        Folder = folder;
        _release = release;
    }

    public string Caller { get; }

    public long ScratchBytes { get; }

    /// <summary>The job's own scratch folder, or null when it reserved no scratch.</summary>
    public string? Folder { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            if (Folder is not null && Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
        finally
        {
            _release(this);
        }
    }
}
