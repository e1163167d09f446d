"""Fashion-MNIST: Zalando's 28x28 grayscale clothing images in 10 classes.

Class labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.
"""

from __future__ import annotations

from myelin.data.datasets.mnist import idx_files, load_idx

#: The four files Keras downloads, with the sha256 Keras pins for each.
FILES = idx_files(
    "fashion_mnist",
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    [
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    ],
)

CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


def load_data():
    """Load Fashion-MNIST, downloading the four IDX files on first use.

    Files are looked for under ``$MYELIN_DATASETS/fashion_mnist/``, then in the
    cache, then downloaded from Keras's mirror; each must match its sha256.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)``, ``(10000,)``.
    """
    return load_idx(FILES)
