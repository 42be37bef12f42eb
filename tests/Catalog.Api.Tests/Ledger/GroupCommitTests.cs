using Catalog.Ledger;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The group commit: a request its store cannot write fails alone; the requests committed with it are stored.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task A_request_the_store_refuses_fails_alone_and_the_fifteen_committed_with_it_succeed()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commits = new List<int>();
        var stored = new List<string>();
        await using var writer = new GroupCommit<string, string>(
            async items =>
            {
                entered.TrySetResult();
                await gate.Task;
                lock (commits)
                {
                    commits.Add(items.Count);
                }

                if (items.Contains("poison"))
                {
                    throw new InvalidOperationException("the store cannot write 'poison'");
                }

                lock (stored)
                {
                    stored.AddRange(items);
                }

                return [.. items.Select(i => "ok:" + i)];
            },
            maxItems: 1_000);

        // The first request holds the writer (its commit waits at the gate) while the other sixteen queue into one group.
        var first = writer.SubmitAsync(["first"]);
        await entered.Task;
        var requests = Enumerable.Range(0, 16).Select(i => i == 7 ? "poison" : $"call-{i}").Select(item => (Item: item, Task: writer.SubmitAsync([item]))).ToArray();
        gate.SetResult();

        Assert.Equal(["ok:first"], await first);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => requests.Single(r => r.Item == "poison").Task);
        Assert.Contains("poison", failure.Message);
        foreach (var (item, task) in requests.Where(r => r.Item != "poison"))
        {
            Assert.Equal(["ok:" + item], await task);
        }

        Assert.Equal(["first", .. requests.Select(r => r.Item).Where(i => i != "poison")], stored);
        Assert.Equal([1, 16, .. Enumerable.Repeat(1, 16)], commits);
    }
}
