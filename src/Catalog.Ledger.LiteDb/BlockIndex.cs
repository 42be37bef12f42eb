using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Catalog.Ledger.LiteDb;

/// <summary>Where a block of records sits in time: every record in it has <see cref="Oldest"/> ≤ timestamp ≤ <see cref="Newest"/> (UTC ticks).</summary>
internal readonly record struct BlockSpan(long Block, long Oldest, long Newest, int Count);

/// <summary>
/// The ledger's index in memory: which blocks may hold an id, and the time span of every block. Built at
/// start-up from the small per-block id documents, changed only after the commit that wrote the blocks.
/// Ids are kept as 32 bits of a 64-bit hash in an open-addressing table (8 bytes a slot, at most 3/4 full):
/// about 11–16 bytes a stored call. A hit only says which block to look in; the caller confirms it there,
/// so two ids sharing 32 bits cost a block read, never a wrong answer. Thread-safe.
/// </summary>
internal sealed class BlockIndex
{
    private readonly List<BlockSpan> _blocks = [];
    private readonly ReaderWriterLockSlim _lock = new();

    /// <summary>The slots: the 32-bit key (0: empty) and the block of one id each; an id may sit beside others with the same key.</summary>
    private uint[] _keys;
    private int[] _slots;
    private int _count;

    /// <param name="capacity">The ids expected, so a start-up fills the table without growing it.</param>
    public BlockIndex(long capacity = 0)
    {
        var size = Size(capacity);
        _keys = new uint[size];
        _slots = new int[size];
    }

    public long NextBlock { get; private set; } = 1;

    /// <summary>The block written last (the greatest number), which later commits fill up while it has room.</summary>
    public BlockSpan? Tail { get; private set; }

    public static ulong Hash(string id) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id.AsSpan()));

    /// <summary>Adds a committed block and the hashes of its ids; for the <see cref="Tail"/> block grown by a commit, its new span and the hashes of the ids it gained.</summary>
    public void Add(BlockSpan span, ReadOnlySpan<ulong> hashes)
    {
        if (span.Block > int.MaxValue)
        {
            throw new InvalidOperationException("The usage ledger has more than 2^31 blocks; move it to PostgreSQL (Storage:Provider=postgres).");
        }

        _lock.EnterWriteLock();
        try
        {
            if (Tail is { } tail && tail.Block == span.Block)
            {
                _blocks[_blocks.FindLastIndex(b => b.Block == span.Block)] = span;
            }
            else
            {
                _blocks.Add(span);
            }

            if (span.Block >= NextBlock - 1)
            {
                Tail = span;
            }

            NextBlock = Math.Max(NextBlock, span.Block + 1);
            if ((_count + hashes.Length) * 4L > _keys.Length * 3L)
            {
                Grow(_count + hashes.Length);
            }

            foreach (var hash in hashes)
            {
                Insert(_keys, _slots, hash, (int)span.Block);
            }

            _count += hashes.Length;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// A block whose records were deleted: its new span (<see cref="BlockSpan.Count"/> 0: the block is gone). The hashes of
    /// the deleted ids stay in the table until the next start-up; they only cost a look into a block that no longer has them.
    /// </summary>
    public void Shrink(BlockSpan span)
    {
        _lock.EnterWriteLock();
        try
        {
            var at = _blocks.FindIndex(b => b.Block == span.Block);
            if (span.Count == 0)
            {
                if (at >= 0)
                {
                    _blocks.RemoveAt(at);
                }

                Tail = Tail?.Block == span.Block ? null : Tail;
            }
            else
            {
                if (at >= 0)
                {
                    _blocks[at] = span;
                }

                Tail = Tail?.Block == span.Block ? span : Tail;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>True when <paramref name="block"/> is a block of the ledger (false once its records were all deleted).</summary>
    public bool Holds(long block)
    {
        _lock.EnterReadLock();
        try
        {
            return _blocks.Exists(b => b.Block == block);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The blocks that may hold the id with <paramref name="hash"/> (usually none or one).</summary>
    public void BlocksOf(ulong hash, List<long> blocks)
    {
        _lock.EnterReadLock();
        try
        {
            var key = Key(hash);
            for (var i = Slot(key, _keys.Length); _keys[i] != 0; i = i + 1 == _keys.Length ? 0 : i + 1)
            {
                if (_keys[i] == key && !blocks.Contains(_slots[i]))
                {
                    blocks.Add(_slots[i]);
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The blocks with a record in [<paramref name="oldest"/>, <paramref name="newest"/>] (UTC ticks, both inclusive), newest end first.</summary>
    public List<BlockSpan> Overlapping(long oldest, long newest)
    {
        var found = new List<BlockSpan>();
        _lock.EnterReadLock();
        try
        {
            foreach (var span in _blocks)
            {
                if (span.Newest >= oldest && span.Oldest <= newest)
                {
                    found.Add(span);
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        found.Sort((a, b) => b.Newest.CompareTo(a.Newest));
        return found;
    }

    /// <summary>32 bits of the hash, never 0 (0 marks an empty slot).</summary>
    private static uint Key(ulong hash) => Math.Max((uint)(hash >> 32), 1u);

    /// <summary>Where a key's run starts in a table of <paramref name="size"/> slots: the key scaled to the size (the key is uniform), so the table can grow from the keys alone.</summary>
    private static int Slot(uint key, int size) => (int)(((ulong)key * (uint)size) >> 32);

    /// <summary>Slots for <paramref name="ids"/> ids at most 3/4 full.</summary>
    private static int Size(long ids) => (int)Math.Min(Math.Max(1024, ids * 4 / 3 + 1), Array.MaxLength);

    private static void Insert(uint[] keys, int[] slots, ulong hash, int block) => Put(keys, slots, Key(hash), block);

    private static void Put(uint[] keys, int[] slots, uint key, int block)
    {
        var i = Slot(key, keys.Length);
        while (keys[i] != 0)
        {
            i = i + 1 == keys.Length ? 0 : i + 1;
        }

        keys[i] = key;
        slots[i] = block;
    }

    private void Grow(long needed)
    {
        var size = Size(Math.Max(needed, _count * 3L / 2));

        var keys = new uint[size];
        var slots = new int[size];
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] != 0)
            {
                Put(keys, slots, _keys[i], _slots[i]);
            }
        }

        _keys = keys;
        _slots = slots;
    }
}
