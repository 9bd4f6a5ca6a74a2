// Runs epubcheck on many books in one Java process (a JVM start costs seconds per book).
// Used by `make epubcheck` and by the EPUB tests:
//   javac -cp /usr/share/java/epubcheck.jar -d OUT CheckAll.java
//   java -cp /usr/share/java/epubcheck.jar:OUT CheckAll BOOK.epub...
// Prints epubcheck's report for each book after a "=== BOOK" line, then "FAILED n of m";
// exits with 1 if any book has an error or a warning.

import com.adobe.epubcheck.tool.EpubChecker;

public class CheckAll {
    public static void main(String[] args) {
        int failed = 0;
        for (String book : args) {
            System.out.println("=== " + book);
            System.out.flush();
            // --failonwarnings: a warning fails the book too.
            if (new EpubChecker().run(new String[] { book, "--failonwarnings" }) != 0) failed++;
            System.out.flush();
            System.err.flush();
        }
        System.out.println("FAILED " + failed + " of " + args.length);
        System.exit(failed == 0 ? 0 : 1);
    }
}
