from recognito.cli import main

main()
