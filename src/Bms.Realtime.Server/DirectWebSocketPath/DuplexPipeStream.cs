using System.Buffers;
using System.IO.Pipelines;

namespace Bms.Realtime.Server.DirectWebSocketPath;

/// <summary>
/// A minimal asynchronous <see cref="Stream"/> over a connection's <see cref="IDuplexPipe"/>, for
/// <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/>.
/// A zero-byte read waits for data without copying or holding any buffer (the pipe's segments stay with the transport,
/// which itself waits with a zero-byte socket read). One reader and one writer at a time, as a WebSocket uses it.
/// Disposing wakes a pending read (which then throws) but does not complete the pipes: the connection's owner
/// (Kestrel) does that.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
{
    private readonly PipeReader _input = pipe.Input;
    private readonly PipeWriter _output = pipe.Output;
    private volatile bool _disposed;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The token is not handed to the pipe (that would keep a registration per idle connection): a WebSocket
        // aborts itself and disposes its stream when its receive is cancelled, and Dispose cancels the pending read.
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            var result = await _input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            var data = result.Buffer;
            if (result.IsCanceled)
            {
                _input.AdvanceTo(data.Start);
                ObjectDisposedException.ThrowIf(_disposed, this);
                throw new OperationCanceledException(cancellationToken);
            }

            if (data.IsEmpty)
            {
                _input.AdvanceTo(data.End);
                if (result.IsCompleted)
                {
                    return 0;
                }

                continue;
            }

            if (buffer.IsEmpty)
            {
                // Data is there: consume and examine nothing, so the next read returns at once with it.
                _input.AdvanceTo(data.Start);
                return 0;
            }

            var count = (int)Math.Min(data.Length, buffer.Length);
            var taken = data.Slice(0, count);
            taken.CopyTo(buffer.Span);
            _input.AdvanceTo(taken.End);
            return count;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await _output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("The connection was closed.");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken) =>
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);

    public override void Flush() => throw new NotSupportedException("Synchronous I/O is not supported.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous I/O is not supported.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous I/O is not supported.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;

            // Wake a pending read (and flush); the pipes themselves stay open for Kestrel to complete.
            _input.CancelPendingRead();
            _output.CancelPendingFlush();
        }

        base.Dispose(disposing);
    }
}
