using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>The database file is held by another process (or another store in this one).</summary>
public sealed class LedgerInUseException(string message, Exception inner) : Exception(message, inner);

/// <summary>The database file is of a ledger format this build does not read.</summary>
public sealed class LedgerFormatException(string message) : Exception(message);

/// <summary>
/// The one owner of the embedded LiteDB file for the process: every collection (usage, rollups, keys,
/// and whatever a later feature adds through <see cref="Database"/>) lives in it. It holds an exclusive
/// OS lock on a sidecar <c>.lock</c> file for its lifetime, because two processes writing one LiteDB
/// file lose writes silently; the second one fails here instead, with a message saying so.
/// </summary>
public sealed class LedgerDatabase : IDisposable
{
    /// <summary>
    /// The layout of the collections in the file (docs/ledger-format.md), kept in LiteDB's user version:
    /// stamped on a new file, checked on every open. A change a reader of this version cannot read gets a new one.
    /// </summary>
    public const int FormatVersion = 4;

    /// <summary>Format 1 kept the rollups without the service tier and region: they are rebuilt from the records on open.</summary>
    private const int RollupsWithoutTierAndRegion = 1;

    /// <summary>Format 2 kept no dimension rollups (per day, endpoint and API key id): the rollups are rebuilt from the records on open.</summary>
    private const int RollupsWithoutDimensions = 2;

    /// <summary>
    /// Format 3 wrote the rollups in every commit and had no rollup mark (<c>usage_rollup_mark</c>): its rollups count every
    /// record, which is what a file without a mark means; it is stamped with the current version as it is. (Format 4 leaves
    /// records after the mark to be counted on open, which a build of format 3 would not do: hence the new version.)
    /// </summary>
    private const int RollupsInEveryCommit = 3;

    /// <summary>The collection a pre-release build kept a document per call in; no release wrote it.</summary>
    private const string DocumentPerCallCollection = "usage";

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
            // The files themselves are locked too: a process reaching them by another name (a hard link) has
            // another lock file, but not another data file.
            _data = OpenExclusive(Path);
            _log = OpenExclusive(LogPathOf(Path));
            Database = new LiteDatabase(_data, mapper: null, logStream: _log) { UtcDate = true };
            CheckFormat();
        }
        catch
        {
            Database?.Dispose();
            _log?.Dispose();
            _data?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when the file was of <see cref="RollupsWithoutTierAndRegion"/> or <see cref="RollupsWithoutDimensions"/>: the usage store rebuilds its rollups from the
    /// records, then calls <see cref="RollupsRebuilt"/>, which stamps the current version.
    /// </summary>
    public bool RollupsOutdated { get; private set; }

    /// <summary>
    /// Stamps <see cref="FormatVersion"/> once the rebuilt rollups are committed (LiteDB sets it outside a transaction):
    /// a crash before the stamp leaves the old format, and the rollups are rebuilt again on the next open.
    /// </summary>
    public void RollupsRebuilt()
    {
        lock (_commitSync)
        {
            Database.UserVersion = FormatVersion;
            _log.Flush();
            RollupsOutdated = false;
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

    /// <summary>Stamps a new file with <see cref="FormatVersion"/>; refuses a file of any other version.</summary>
    /// <exception cref="LedgerFormatException">The file is of another format.</exception>
    private void CheckFormat()
    {
        var version = Database.UserVersion;
        if (version == FormatVersion)
        {
            return;
        }

        if (version == RollupsInEveryCommit)
        {
            Database.UserVersion = FormatVersion;
            _log.Flush();
            return;
        }

        if (version is RollupsWithoutTierAndRegion or RollupsWithoutDimensions)
        {
            RollupsOutdated = true;
            return;
        }

        if (version == 0 && !Database.CollectionExists(DocumentPerCallCollection))
        {
            Database.UserVersion = FormatVersion;
            _log.Flush();
            return;
        }

        var what = version == 0
            ? "was written by a pre-release build that kept a document per call"
            : $"has ledger format version {version}";
        throw new LedgerFormatException(
            $"The usage database '{Path}' {what}; this build reads format version {FormatVersion} (docs/ledger-format.md). " +
            "Open it with the build that wrote it, or give this one a new file with Storage:Path.");
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
            throw InUse(path, $"lock file '{lockPath}'", ex);
        }
    }

    private static DurableFileStream OpenExclusive(string path)
    {
        try
        {
            return new DurableFileStream(path);
        }
        catch (IOException ex)
        {
            throw InUse(path, "under another name, such as a hard link", ex);
        }
    }

    private static LedgerInUseException InUse(string path, string how, IOException ex) => new(
        $"The usage database '{path}' is already open in another process or store ({how}). " +
        "Only one process may use a database file: stop the other Catalog process, or give this one its own file with Storage:Path.",
        ex);
}
