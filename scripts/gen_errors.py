"""Print recognito/errors.py as generated from botocore's cognito-idp service model.

Run: python scripts/gen_errors.py > recognito/errors.py
(`python scripts/gen_model.py` writes it, and recognito/shapes.py, in place.)
"""

import sys

from gen_model import errors_source, service_model


def main() -> None:
    sys.stdout.write(errors_source(service_model()))


if __name__ == "__main__":
    main()
