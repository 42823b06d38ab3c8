package pekkochat; public class ChatNode { public static void main(String[] a) {} }
