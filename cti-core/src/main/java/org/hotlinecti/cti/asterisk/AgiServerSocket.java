package org.hotlinecti.cti.asterisk;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;

import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.util.SocketConnectionFacade;

/**
 * A server socket we bound ourselves, handed to Asterisk-Java's accept loop. Asterisk-Java's own binds inside its
 * blocking {@code startup()} and never tells which port it got, so port 0 and bind errors could not be reported.
 */
final class AgiServerSocket implements ServerSocketFacade {

    private final ServerSocket serverSocket;
    private final Set<AgiSessionSocket> openSockets;
    private volatile int readTimeoutMillis;

    AgiServerSocket(ServerSocket serverSocket, Set<AgiSessionSocket> openSockets, int readTimeoutMillis) {
        this.serverSocket = serverSocket;
        this.openSockets = openSockets;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    @Override
    public SocketConnectionFacade accept() throws IOException {
        Socket socket = serverSocket.accept();
        try {
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            return new AgiSessionSocket(socket, openSockets);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }

    @Override
    public void setSocketReadTimeout(int socketReadTimeout) {
        this.readTimeoutMillis = socketReadTimeout;
    }
}
