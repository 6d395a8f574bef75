from redun_aws.emulator.server import main

main()
