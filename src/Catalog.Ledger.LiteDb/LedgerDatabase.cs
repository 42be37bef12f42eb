using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>The database file is held by another process (or another store in this one).</summary>
public sealed class LedgerInUseException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The one owner of the embedded LiteDB file for the process: every collection (usage, rollups, keys,
/// and whatever a later feature adds through <see cref="Database"/>) lives in it. It holds an exclusive
/// OS lock on a sidecar <c>.lock</c> file for its lifetime, because two processes writing one LiteDB
/// file lose writes silently; the second one fails here instead, with a message saying so.
/// </summary>
public sealed class LedgerDatabase : IDisposable
{
    private readonly FileStream _lock;
    private readonly DurableFileStream _data;
    private readonly DurableFileStream _log;
    private readonly object _commitSync = new();
    private volatile bool _disposed;

    public LedgerDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _lock = AcquireLock(Path);
        try
        {
            _data = new DurableFileStream(Path);
            _log = new DurableFileStream(LogPathOf(Path));
            Database = new LiteDatabase(_data, mapper: null, logStream: _log) { UtcDate = true };
        }
        catch
        {
            _log?.Dispose();
            _data?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>Full path of the data file.</summary>
    public string Path { get; }

    /// <summary>The single <see cref="LiteDatabase"/> of the process. Write through <see cref="WriteDurably{T}"/>.</summary>
    public LiteDatabase Database { get; }

    /// <summary>Reads the file's header through LiteDB: throws when the file is closed or cannot be read.</summary>
    /// <exception cref="ObjectDisposedException">The database was closed.</exception>
    public void Probe()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = Database.UserVersion;
    }

    public static string LogPathOf(string path) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction on this thread, commits it and forces the log to
    /// disk before returning: when this returns, the write survives a crash. A throw rolls everything back.
    /// </summary>
    public T WriteDurably<T>(Func<LiteDatabase, T> write)
    {
        lock (_commitSync)
        {
            Database.BeginTrans();
            T result;
            try
            {
                result = write(Database);
                Database.Commit();
            }
            catch
            {
                Database.Rollback();
                throw;
            }

            _log.Flush();
            return result;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Database.Dispose();
        _log.Dispose();
        _data.Dispose();
        _lock.Dispose();
    }

    private static FileStream AcquireLock(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException ex)
        {
            throw new LedgerInUseException(
                $"The usage database '{path}' is already open in another process or store (lock file '{lockPath}'). " +
                "Only one process may use a database file: stop the other Catalog process, or give this one its own file with Storage:Path.",
                ex);
        }
    }
}
