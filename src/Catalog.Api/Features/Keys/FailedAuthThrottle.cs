using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Catalog.Api.Features.Keys;

/// <summary>
/// Counts failed authentications per client address in fixed windows of <see cref="KeyOptions.FailedAuthWindowSeconds"/>:
/// past <see cref="KeyOptions.FailedAuthPerWindow"/> failures, every authentication attempt from that address is
/// answered 429 with Retry-After until the window ends, before any key is looked at (so guessing stops,
/// whatever it guesses). Successful authentications are not counted and cost nothing extra. An IPv6 client
/// is counted by its /64 network, the block one host usually holds.
/// </summary>
public sealed class FailedAuthThrottle(KeyOptions options, TimeProvider clock)
{
    /// <summary>Beyond this many addresses tracked, windows that are over are dropped (the memory bound).</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    private TimeSpan Length => TimeSpan.FromSeconds(options.FailedAuthWindowSeconds);

    /// <summary>How long <paramref name="address"/> must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        if (!_windows.TryGetValue(Client(address), out var window))
        {
            return null;
        }

        var left = window.Start + Length - clock.GetUtcNow();
        return window.Failures >= options.FailedAuthPerWindow && left > TimeSpan.Zero ? left : null;
    }

    public void RecordFailure(IPAddress? address)
    {
        var now = clock.GetUtcNow();
        _windows.AddOrUpdate(
            Client(address),
            _ => new Window(now, 1),
            (_, window) => window.Start + Length <= now ? new Window(now, 1) : window with { Failures = window.Failures + 1 });
        if (_windows.Count > PruneAbove)
        {
            foreach (var (client, window) in _windows)
            {
                if (window.Start + Length <= now)
                {
                    _windows.TryRemove(KeyValuePair.Create(client, window));
                }
            }
        }
    }

    /// <summary>The address a client is counted by: its IPv4 address, or its IPv6 /64 network.</summary>
    private static IPAddress Client(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private readonly record struct Window(DateTimeOffset Start, int Failures);
}
