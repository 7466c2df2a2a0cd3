/* The least a CGI program can do: answer 303. Built static, as the floor is (bench/handler/startup.sh). */
#include <stdio.h>

int main(void) {
    fputs("Status: 303 See Other\r\nLocation: /\r\n\r\n", stdout);
    return 0;
}
