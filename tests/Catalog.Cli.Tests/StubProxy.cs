using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Catalog.Cli.Tests;

/// <summary>A LiteLLM proxy stand-in on 127.0.0.1 that answers <c>GET /model/info</c> with a recorded body.</summary>
internal sealed class StubProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public StubProxy(string body, int status = 200)
    {
        Url = $"http://127.0.0.1:{FreePort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Requests.Add($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {context.Request.Headers["Authorization"]}".TrimEnd());
                var found = context.Request.Url.AbsolutePath == "/model/info";
                context.Response.StatusCode = found ? status : 404;
                context.Response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(found ? body : "{\"detail\":\"Not Found\"}");
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public List<string> Requests { get; } = [];

    /// <summary>A loopback port nothing listens on (taken, then released).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        // Close alone: Stop followed by Close failed now and then with "Address already in use".
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
