using System.Diagnostics;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// An unbuffered file stream whose <see cref="Flush()"/> reaches the disk (fsync). LiteDB flushes its
/// data file through <c>Stream.Flush()</c> when it is handed a stream, and the ledger flushes the log
/// after every commit, so an acknowledged write survives a crash of the process or of the machine.
/// </summary>
internal sealed class DurableFileStream(string path) : Stream
{
    private readonly FileStream _file = new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.RandomAccess);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    /// <summary>LiteDB's readers and writer share this stream under <c>lock (stream)</c>; so does the flush.</summary>
    public override void Flush()
    {
        lock (this)
        {
            var started = Stopwatch.GetTimestamp();
            _file.Flush(flushToDisk: true);
            LedgerMetrics.Fsynced(started);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value) => _file.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
