using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Catalog.Tests.Shared;

/// <summary>
/// The API as a real process (<c>dotnet Catalog.Api.dll</c> from the build beside the tests) on a loopback
/// port, configured through environment variables, so a test can run several and kill one with SIGKILL.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private ApiProcess(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>Where the API answers.</summary>
    public Uri Address { get; }

    /// <summary>Every line the API wrote to its standard output so far (its console log).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>
    /// Starts the API on <paramref name="port"/> with <paramref name="settings"/> (e.g. <c>Storage__Path</c>) and waits
    /// until it answers: the build beside the tests, or the <paramref name="executable"/> given (a published binary),
    /// in <paramref name="workingDirectory"/> (else the executable's folder).
    /// </summary>
    public static async Task<ApiProcess> StartAsync(int port, string adminKey, IReadOnlyDictionary<string, string> settings, string? executable = null, string? workingDirectory = null)
    {
        var api = new ApiProcess(Process.Start(StartInfo(port, adminKey, settings, executable, workingDirectory))!, port);
        api._process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                api._output.Enqueue(line.Data);
            }
        };
        api._process.ErrorDataReceived += (_, line) => api.Keep(line.Data);
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(api._process.HasExited, $"the API exited during start-up: {string.Join(Environment.NewLine, api._errors)}");
            try
            {
                if ((await probe.GetAsync("/v1/catalog")).IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        api.Dispose();
        throw new TimeoutException("the API did not start within 60 s");
    }

    /// <summary>Starts the API with <paramref name="settings"/> and waits (up to a minute) for it to exit: its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(IReadOnlyDictionary<string, string> settings)
    {
        var start = StartInfo(FreePort(), "unused-admin-key", settings, executable: null, workingDirectory: null);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the API did not exit within 60 s: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>A client of the API on <paramref name="port"/> with the key.</summary>
    public static HttpClient Client(int port, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL: no shutdown, no flush; whatever was not committed is lost.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>Kills the process if it still runs; safe to call again.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(int port, string adminKey, IReadOnlyDictionary<string, string> settings, string? executable, string? workingDirectory)
    {
        var start = executable is null ? new ProcessStartInfo("dotnet", $"\"{ApiAssembly()}\"") : new ProcessStartInfo(executable);
        start.WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(executable ?? ApiAssembly())!;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["CATALOG_ADMIN_KEY"] = adminKey;
        start.Environment["Keys__RequestsPerSecond"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>The API's own build output (its runtimeconfig is there), beside this test's configuration.</summary>
    private static string ApiAssembly()
    {
        var testDirectory = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(testDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = testDirectory[..testDirectory.IndexOf($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal)];
        return Path.Combine(root, "src", "Catalog.Api", "bin", configuration, "net10.0", "Catalog.Api.dll");
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _errors.Enqueue(line);
            while (_errors.Count > 40)
            {
                _errors.TryDequeue(out _);
            }
        }
    }
}
