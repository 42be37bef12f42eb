using System.Diagnostics;
using System.Threading.Channels;

namespace Catalog.Ledger;

/// <summary>
/// Group commit: callers submit items concurrently; one writer loop takes everything waiting (up to
/// <c>maxItems</c>), commits it in one transaction through <c>commit</c>, and only then completes each
/// caller's task with its own results. Throughput comes from batching, not from weaker durability.
/// A commit that fails is tried again a request at a time, so one request that cannot be stored fails alone.
/// </summary>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<TItem>, Task<TResult[]>> _commit;
    private readonly int _maxItems;
    private readonly Task _loop;

    /// <param name="commit">Commits the items durably and returns one result per item, in order. Runs on the writer loop only.</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, Task<TResult[]>> commit, int maxItems)
    {
        _commit = commit;
        _maxItems = maxItems;
        _loop = Task.Run(RunAsync);
    }

    public Task<IReadOnlyList<TResult>> SubmitAsync(IReadOnlyList<TItem> items)
    {
        var pending = new Pending(items, new TaskCompletionSource<IReadOnlyList<TResult>>(TaskCreationOptions.RunContinuationsAsynchronously));
        LedgerMetrics.Enqueued(items.Count);
        if (!_queue.Writer.TryWrite(pending))
        {
            LedgerMetrics.Dequeued(items.Count);
            throw new ObjectDisposedException(nameof(GroupCommit<TItem, TResult>), "The store is shutting down; the write was not taken.");
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var group = new List<Pending>();
        var items = new List<TItem>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            items.Clear();
            while (items.Count < _maxItems && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                items.AddRange(pending.Items);
            }

            LedgerMetrics.Dequeued(items.Count);
            if (group.Count > 1 && await TryCommitAsync(group, items).ConfigureAwait(false))
            {
                continue;
            }

            // One request, or a group that failed as a whole: each request is committed alone, so one that
            // cannot be written fails by itself and the others are stored (a request stays all or nothing).
            foreach (var pending in group)
            {
                await TryCommitAsync([pending], pending.Items).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Commits <paramref name="items"/> (the items of <paramref name="group"/>, in order) and answers each request; false when the commit threw.</summary>
    private async Task<bool> TryCommitAsync(IReadOnlyList<Pending> group, IReadOnlyList<TItem> items)
    {
        var started = Stopwatch.GetTimestamp();
        TResult[] results;
        try
        {
            results = await _commit(items).ConfigureAwait(false);
            LedgerMetrics.Committed(items.Count, started, ok: true);
        }
        catch (Exception ex)
        {
            LedgerMetrics.Committed(items.Count, started, ok: false);
            if (group.Count == 1)
            {
                group[0].Completion.TrySetException(ex);
            }

            return false;
        }

        var offset = 0;
        foreach (var pending in group)
        {
            var count = pending.Items.Count;
            pending.Completion.TrySetResult(new ArraySegment<TResult>(results, offset, count));
            offset += count;
        }

        return true;
    }

    private sealed record Pending(IReadOnlyList<TItem> Items, TaskCompletionSource<IReadOnlyList<TResult>> Completion);
}
