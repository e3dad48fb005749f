// Demo publisher script: swaps lazy images in, as the real site's lazy loader does.
document.querySelectorAll('img.lazy[data-src]').forEach(function (img) { img.src = img.getAttribute('data-src'); });
